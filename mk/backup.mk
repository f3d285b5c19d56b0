# Backups of the bonus stack (the backup service of docker-compose.bonus.yml).
# Included by the top-level Makefile after mk/stack.mk (LOAD_ENV, DC).
#
#   make backup                take one now (as the scheduler would)
#   make restore [BACKUP=NAME] restore the newest backup (or NAME): database
#                              and WordPress files; wordpress and ftp are
#                              stopped meanwhile and started again

BACKUP ?=

.PHONY: backup restore

# The running backup container's id, or a clear error.
BACKUP_CID = c=$$($(DC) ps -q backup 2>/dev/null) && [ -n "$$c" ] && \
	[ "$$(docker inspect -f '{{.State.Running}}' "$$c")" = true ] || \
	{ echo "make: the backup service is not running (start the bonus stack: make bonus)" >&2; exit 1; }

backup: env
	@$(LOAD_ENV) && $(BACKUP_CID); \
	docker exec -u www-data "$$c" /usr/local/bin/backup-now

# The restore runs in a one-shot container of the backup image, on the same
# network, volumes (the WordPress one writable there) and secret as the backup
# container, found through its mounts so that compose's naming does not matter.
# The restore keeps chown, fowner and dac_override (www-data's files with their
# owners and modes); the container holds those and setpcap, which initd needs
# to narrow the bounding set to them.
restore: env
	@$(LOAD_ENV) && $(BACKUP_CID); \
	name=$$(docker exec "$$c" /usr/local/bin/backup-restore --which $(BACKUP)) || exit 1; \
	img=$$(docker inspect -f '{{.Config.Image}}' "$$c") && \
	net=$$(docker inspect -f '{{range $$k, $$v := .NetworkSettings.Networks}}{{$$k}}{{end}}' "$$c") && \
	wp=$$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/var/www/html"}}{{.Name}}{{end}}{{end}}' "$$c") && \
	bk=$$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/backups"}}{{.Name}}{{end}}{{end}}' "$$c") && \
	pw=$$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/run/secrets/db_password"}}{{.Source}}{{end}}{{end}}' "$$c") && \
	[ -n "$$net" ] && [ -n "$$wp" ] && [ -n "$$bk" ] && [ -n "$$pw" ] || \
		{ echo "make: cannot find the backup container's network, volumes or secret" >&2; exit 1; }; \
	running=; for s in wordpress ftp; do \
		id=$$($(DC) ps -q "$$s" 2>/dev/null); \
		[ -n "$$id" ] && [ "$$(docker inspect -f '{{.State.Running}}' "$$id")" = true ] && running="$$running $$s"; \
	done; \
	echo "make: restoring backup $$name (stopping:$${running:- nothing})"; \
	[ -z "$$running" ] || $(DC) stop $$running; \
	rc=0; docker run --rm --network "$$net" \
		-v "$$wp:/var/www/html" -v "$$bk:/backups:ro" -v "$$pw:/run/secrets/db_password:ro" \
		--tmpfs /run/backup:mode=0700,noexec,nosuid,size=1m \
		-e MYSQL_DATABASE="$${MYSQL_DATABASE:-wordpress}" -e MYSQL_USER="$${MYSQL_USER:-wpuser}" \
		--security-opt no-new-privileges --cap-drop ALL --cap-add CHOWN --cap-add DAC_OVERRIDE \
		--cap-add FOWNER --cap-add SETPCAP \
		--entrypoint /usr/local/bin/initd "$$img" \
		--restart=never --caps=chown,fowner,dac_override -- /usr/local/bin/backup-restore "$$name" || rc=$$?; \
	[ -z "$$running" ] || $(DC) start $$running; \
	if [ "$$rc" -ne 0 ]; then echo "make: restore of $$name failed ($$rc)" >&2; exit "$$rc"; fi; \
	$(MAKE) --no-print-directory wait ENV_FILE="$(ENV_FILE)" BONUS=1 && \
	echo "make: restored backup $$name"
