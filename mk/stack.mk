# The Inception stack: nginx + wordpress/php-fpm + mariadb, each on initd.
# Included by the top-level Makefile, whose default goal `all` is `up`.
#
# Every recipe first loads $(ENV_FILE) (written once from .env.example) with
# `set -a`, so make, compose and the containers all see the same values; the
# file can be another one (ENV_FILE=/tmp/x/env make up), which is how the
# end-to-end tests run a second stack beside a user's.

ENV_FILE       ?= .env
STACK_ENV       = $(abspath $(ENV_FILE))
HEALTH_TIMEOUT ?= 300
# `docker compose` (v2) when it exists, else Debian bookworm's docker-compose 1.29.
COMPOSE        ?= $(shell if docker compose version >/dev/null 2>&1; then echo docker compose; else echo docker-compose; fi)

LOAD_ENV = set -a && . "$(STACK_ENV)" && : "$${SECRETS_DIR:=./secrets}" && set +a && \
           INCEPTION_VERSION=$(VERSION) && export INCEPTION_VERSION
# The bonus services live in an override file: `make bonus` starts them with the
# mandatory ones, `make` (BONUS=0) starts the mandatory part only. Every other
# target names both files, so it acts on whatever of the project is running.
BONUS          ?= 0
DC_BASE  = $(COMPOSE) --env-file "$(STACK_ENV)" -p "$$COMPOSE_PROJECT_NAME" -f "$(CURDIR)/docker-compose.yml"
DC       = $(DC_BASE) -f "$(CURDIR)/docker-compose.bonus.yml"
DC_UP    = $(if $(filter 1,$(BONUS)),$(DC),$(DC_BASE))

.PHONY: up bonus down stop start clean fclean re logs ps status hosts env secrets certs data-dirs build wait

up: env secrets certs data-dirs shared-images
	@$(LOAD_ENV) && $(DC_UP) build $(COMPOSE_BUILD_FLAGS)
	@$(LOAD_ENV) && $(DC_UP) up -d
	@$(MAKE) --no-print-directory wait ENV_FILE="$(ENV_FILE)" BONUS=$(BONUS)
	@$(LOAD_ENV) && port=""; [ "$$HTTPS_PORT" = 443 ] || port=":$$HTTPS_PORT"; \
	echo "make: the site is up: https://$$DOMAIN$$port/ (admin: https://$$DOMAIN$$port/wp-admin/)"; \
	echo "make: administrator '$$WP_ADMIN_USER', user '$$WP_USER'; passwords in $$SECRETS_DIR/*.txt"; \
	echo "make: run 'make hosts' once if $$DOMAIN does not resolve to this machine"

bonus:
	@$(MAKE) --no-print-directory up ENV_FILE="$(ENV_FILE)" BONUS=1

# Wait (bounded by HEALTH_TIMEOUT seconds) until every container of the project
# is healthy, and there are at least as many as `up` started.
wait: env
	@$(LOAD_ENV) && ids=$$($(DC) ps -q) && n=0 && \
	want=$$($(DC_UP) config --services | grep -c .) && total=$$(echo "$$ids" | grep -c .) && \
	[ "$$total" -ge "$$want" ] || { echo "make: expected $$want containers, found: $$ids" >&2; exit 1; }; \
	while :; do \
		ready=0; \
		for id in $$ids; do \
			s=$$(docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$$id"); \
			case $$s in \
			*' healthy') ready=$$((ready + 1)) ;; \
			*' unhealthy' | *' exited' | *' dead') echo "make: $$s" >&2; $(DC) logs --tail=40 >&2; exit 1 ;; \
			esac; \
		done; \
		[ "$$ready" -lt "$$total" ] || break; \
		n=$$((n + 1)); \
		if [ "$$n" -gt $(HEALTH_TIMEOUT) ]; then \
			echo "make: not healthy after $(HEALTH_TIMEOUT) s" >&2; $(DC) ps >&2; $(DC) logs --tail=40 >&2; exit 1; \
		fi; \
		sleep 1; \
	done; \
	echo "make: all $$total services are healthy"

down: env
	@$(LOAD_ENV) && $(DC) down --remove-orphans

stop: env
	@$(LOAD_ENV) && $(DC) stop

start: env
	@$(LOAD_ENV) && $(DC) start
	@$(MAKE) --no-print-directory wait ENV_FILE="$(ENV_FILE)"

# Containers, network and the images; the data stays.
clean: env
	@$(LOAD_ENV) && $(DC) down --remove-orphans --rmi all

# Also the volumes and the data folders, whose files belong to container uids:
# they are removed from inside a throwaway container.
fclean: env
	@$(LOAD_ENV) && $(DC) down --remove-orphans --rmi all --volumes
	@$(LOAD_ENV) && if [ -d "$$DATA_DIR" ]; then \
		if docker image inspect $(BASE_IMAGE) >/dev/null 2>&1; then \
			docker run --rm --network none -v "$$DATA_DIR:/data" $(BASE_IMAGE) \
				rm -rf /data/wordpress /data/mariadb /data/backups; \
		else \
			rm -rf "$$DATA_DIR/wordpress" "$$DATA_DIR/mariadb" "$$DATA_DIR/backups"; \
		fi; \
		rmdir "$$DATA_DIR" 2>/dev/null || true; \
		echo "make: removed the data in $$DATA_DIR"; \
	fi

re: clean
	@$(MAKE) --no-print-directory up ENV_FILE="$(ENV_FILE)"

logs: env
	@$(LOAD_ENV) && $(DC) logs -f --tail=100

ps: env
	@$(LOAD_ENV) && $(DC) ps

# initd's own view of each service (state, pid, restarts, last exit status).
status: env
	@$(LOAD_ENV) && for s in $$($(DC) config --services); do \
		id=$$($(DC) ps -q "$$s") && [ -n "$$id" ] || continue; \
		echo "== $$s"; docker exec "$$id" initd status || true; \
	done

# Point the domain at this machine (idempotent; needs root for /etc/hosts).
hosts: env
	@$(LOAD_ENV) && if grep -Eq "^[^#]*[[:space:]]$$DOMAIN([[:space:]]|$$)" /etc/hosts; then \
		echo "make: $$DOMAIN is already in /etc/hosts"; \
	elif [ -w /etc/hosts ]; then \
		printf '127.0.0.1\t%s\n' "$$DOMAIN" >>/etc/hosts && echo "make: added $$DOMAIN to /etc/hosts"; \
	else \
		printf '127.0.0.1\t%s\n' "$$DOMAIN" | sudo tee -a /etc/hosts >/dev/null && echo "make: added $$DOMAIN to /etc/hosts"; \
	fi

env: $(ENV_FILE)

# .env from .env.example: each KEY=default is replaced by $KEY from make's
# environment when set; defaults may refer to keys above them (${LOGIN}).
$(ENV_FILE): .env.example
	@if [ -f "$@" ]; then touch "$@"; exit 0; fi; \
	USER_NAME=$$(id -un) && export USER_NAME && \
	while IFS= read -r line; do \
		case $$line in \
		[A-Z]*=*) \
			key=$${line%%=*}; eval "val=\$${$$key-}"; \
			[ -n "$$val" ] || eval "val=\"$${line#*=}\""; \
			case $$val in *"'"*) echo "make: $$key: a quote is not allowed in '$$val'" >&2; exit 1 ;; esac; \
			export "$$key=$$val"; \
			case $$val in \
			*[!A-Za-z0-9_./@:+-]*) printf "%s='%s'\n" "$$key" "$$val" ;; \
			*) printf '%s=%s\n' "$$key" "$$val" ;; \
			esac ;; \
		*) printf '%s\n' "$$line" ;; \
		esac; \
	done <.env.example >"$@.tmp" && mv -f "$@.tmp" "$@" && echo "make: wrote $@"

# Random passwords, once (git-ignored, mode 0600).
secrets: env
	@$(LOAD_ENV) && umask 077 && mkdir -p "$$SECRETS_DIR" && \
	for s in db_password db_root_password wp_admin_password wp_user_password redis_password ftp_password; do \
		f="$$SECRETS_DIR/$$s.txt"; \
		[ -s "$$f" ] && continue; \
		LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 >"$$f.tmp" && mv -f "$$f.tmp" "$$f" && \
		echo "make: generated $$f"; \
	done

# A self-signed certificate for $DOMAIN, made again when the domain changed.
certs: env
	@$(LOAD_ENV) && d="$$SECRETS_DIR/tls" && \
	if [ -s "$$d/key.pem" ] && openssl x509 -in "$$d/cert.pem" -noout -checkhost "$$DOMAIN" 2>/dev/null | grep -q 'does match'; then \
		exit 0; \
	fi; \
	command -v openssl >/dev/null || { echo "make: openssl is needed to make the certificate (apt-get install openssl)" >&2; exit 1; }; \
	umask 077 && mkdir -p "$$d" && \
	openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 -subj "/CN=$$DOMAIN" \
		-addext "subjectAltName=DNS:$$DOMAIN" -keyout "$$d/key.pem" -out "$$d/cert.pem" 2>/dev/null && \
	chmod 0644 "$$d/cert.pem" && echo "make: generated a self-signed certificate for $$DOMAIN in $$d"

data-dirs: env
	@$(LOAD_ENV) && mkdir -p "$$DATA_DIR/wordpress" "$$DATA_DIR/mariadb" "$$DATA_DIR/backups"

build: env secrets shared-images
	@$(LOAD_ENV) && $(DC) build $(COMPOSE_BUILD_FLAGS)
