# The images' common ground, built once before compose builds the services:
#   base-image     debian:bookworm, pulled or made by scripts/base-image.sh
#   shared-images  inception-base (trimmed, up to date) and initd (FROM
#                  scratch: the static initd every image copies), dockerfiles/{base,initd}
#   refresh        every image again with today's Debian updates, no cache,
#                  and the running stack restarted on them; the data stays
# Included by the top-level Makefile after mk/stack.mk (STACK_SH, COMPOSE).

BASE_IMAGE    := debian:bookworm
# docker-compose 1.29 builds one image after another unless told otherwise;
# Compose v2 builds in parallel by default.
COMPOSE_BUILD_FLAGS = $(if $(filter docker-compose,$(COMPOSE)),--parallel)

.PHONY: base-image shared-images refresh

base-image:
	@BASE_IMAGE=$(BASE_IMAGE) sh scripts/base-image.sh

# $(1): extra `docker build` flags.
build_shared = docker build $(1) -q -t inception-base:$(VERSION) -f dockerfiles/base/Dockerfile . >/dev/null && \
	docker build $(1) -q --build-arg INCEPTION_VERSION=$(VERSION) -t initd:$(VERSION) \
		-f dockerfiles/initd/Dockerfile . >/dev/null

shared-images: base-image
	@$(call build_shared,) || { echo "make: building the shared images failed" >&2; exit 1; }

# Rebuild from a fresh debian:bookworm when it was made here (a pulled one is
# pulled again), then every layer without the cache, so every package is
# today's. The stack that runs (mandatory or bonus) is recreated on the new
# images; volumes and data are not touched.
refresh: env secrets certs data-dirs
	@if timeout 120 docker pull $(BASE_IMAGE) >/dev/null 2>&1; then echo "make: pulled $(BASE_IMAGE)"; \
	else BASE_IMAGE=$(BASE_IMAGE) sh scripts/base-image.sh --force; fi
	@$(call build_shared,--no-cache) || { echo "make: building the shared images failed" >&2; exit 1; }
	@$(STACK_SH) compose build --no-cache $(COMPOSE_BUILD_FLAGS)
	@$(STACK_SH) recreate
