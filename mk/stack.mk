# The Inception stack: nginx + wordpress/php-fpm + mariadb, each on initd.
# Included by the top-level Makefile, whose default goal `all` is `up`.
#
# Every recipe (scripts/stack.sh) first loads $(ENV_FILE) (written once from
# .env.example) with `set -a`, so compose and the containers see the same
# values; the file can be another one (ENV_FILE=/tmp/x/env make up), which is
# how the end-to-end tests run a second stack beside a user's.

ENV_FILE       ?= .env
STACK_ENV       = $(abspath $(ENV_FILE))
HEALTH_TIMEOUT ?= 300
# `docker compose` (v2) when it exists, else Debian bookworm's docker-compose 1.29.
COMPOSE        ?= $(shell if docker compose version >/dev/null 2>&1; then echo docker compose; else echo docker-compose; fi)

# The bonus services live in an override file: `make bonus` starts them with the
# mandatory ones, `make` (BONUS=0) starts the mandatory part only. Every other
# target names both files, so it acts on whatever of the project is running.
BONUS          ?= 0
# Every recipe is a subcommand of scripts/stack.sh, which loads $(ENV_FILE),
# holds the one compose command line (`compose`: both files; `compose-up`: the
# files of `up`) and the longer recipes, where shellcheck reads them.
STACK_SH = ROOT="$(CURDIR)" STACK_ENV="$(STACK_ENV)" COMPOSE="$(COMPOSE)" BONUS=$(BONUS) \
           HEALTH_TIMEOUT=$(HEALTH_TIMEOUT) BASE_IMAGE=$(BASE_IMAGE) VERSION=$(VERSION) sh scripts/stack.sh

.PHONY: up bonus down stop start clean fclean re logs ps status hosts env secrets certs data-dirs build wait

up: env secrets certs data-dirs shared-images
	@$(STACK_SH) compose-up build $(COMPOSE_BUILD_FLAGS)
	@$(STACK_SH) compose-up up -d
	@$(STACK_SH) wait
	@$(STACK_SH) banner

bonus:
	@$(MAKE) --no-print-directory up ENV_FILE="$(ENV_FILE)" BONUS=1

# Until every container of the project is healthy (at most HEALTH_TIMEOUT s).
wait: env
	@$(STACK_SH) wait

down: env
	@$(STACK_SH) compose down --remove-orphans

stop: env
	@$(STACK_SH) compose stop

start: env
	@$(STACK_SH) compose start
	@$(STACK_SH) wait

# Containers, network and the images; the data stays.
clean: env
	@$(STACK_SH) compose down --remove-orphans --rmi all

# Also the volumes and the data folders (their files belong to container uids).
fclean: env
	@$(STACK_SH) compose down --remove-orphans --rmi all --volumes
	@$(STACK_SH) remove-data

re: clean
	@$(MAKE) --no-print-directory up ENV_FILE="$(ENV_FILE)"

logs: env
	@$(STACK_SH) compose logs -f --tail=100

ps: env
	@$(STACK_SH) compose ps

# initd's own view of each service (state, pid, restarts, last exit status).
status: env
	@$(STACK_SH) status

# Point the domain at this machine (idempotent; needs root for /etc/hosts).
hosts: env
	@$(STACK_SH) hosts

env: $(ENV_FILE)

# .env from .env.example, once: each KEY=default replaced by $KEY from make's
# environment when set.
$(ENV_FILE): .env.example
	@$(STACK_SH) env-file .env.example

# Random passwords for services/secrets.list, once (git-ignored, mode 0600).
secrets: env
	@$(STACK_SH) secrets

# A self-signed certificate for $DOMAIN, made again when the domain changed.
certs: env
	@$(STACK_SH) certs

data-dirs: env
	@$(STACK_SH) data-dirs

build: env secrets shared-images
	@$(STACK_SH) compose build $(COMPOSE_BUILD_FLAGS)
