# The stack on Docker Swarm (scripts/swarm.sh, docker-compose.swarm.yml,
# docs/swarm.md). On an engine in no swarm, `make swarm` makes a one-node one.
#   swarm         the mandatory services (WP_REPLICAS wordpress replicas)
#   swarm-bonus   and the bonus ones
#   swarm-update  fresh images, rolled out service by service, no downtime
#   swarm-down    the stack removed; the data (and the registry's images) kept
# Included by the top-level Makefile after mk/stack.mk (STACK_SH's variables).

SWARM_SH = ROOT="$(CURDIR)" STACK_ENV="$(STACK_ENV)" COMPOSE="$(COMPOSE)" BONUS=$(BONUS) \
           HEALTH_TIMEOUT=$(HEALTH_TIMEOUT) BASE_IMAGE=$(BASE_IMAGE) VERSION=$(VERSION) sh scripts/swarm.sh

.PHONY: swarm swarm-bonus swarm-update swarm-down compose-v2

# Only Compose v2 renders the stack file (docker-compose 1.29 cannot); Debian
# 12 does not package it: installed as a CLI plugin from Debian 13's package.
compose-v2:
	@docker compose version >/dev/null 2>&1 || { \
		echo "make: Compose v2 is missing: installing it as a Docker CLI plugin (scripts/docker-plugins.sh)"; \
		sh scripts/docker-plugins.sh; }

swarm: compose-v2 env secrets certs data-dirs shared-images
	@$(SWARM_SH) up

swarm-bonus:
	@$(MAKE) --no-print-directory swarm ENV_FILE="$(ENV_FILE)" BONUS=1

swarm-update: compose-v2 env shared-images
	@$(SWARM_SH) update

swarm-down: env
	@$(SWARM_SH) down

# One node (this engine), then three docker-in-docker nodes (tests/swarm/).
.PHONY: test-swarm bench-swarm
test-swarm:
	sh tests/swarm/run.sh one-node
	sh tests/swarm/run.sh cluster

# Both tests with their figures (docs/results/swarm.md, swarm-cluster.md).
bench-swarm:
	SWARM_BENCH=1 sh tests/swarm/run.sh one-node
	SWARM_BENCH=1 sh tests/swarm/run.sh cluster
