# Backups of the bonus stack (the backup service of docker-compose.bonus.yml).
# Included by the top-level Makefile after mk/stack.mk (STACK_SH).
#
#   make backup                take one now (as the scheduler would)
#   make restore [BACKUP=NAME] restore the newest backup (or NAME): database
#                              and WordPress files; wordpress and ftp are
#                              stopped meanwhile and started again

BACKUP ?=

.PHONY: backup restore

backup: env
	@$(STACK_SH) backup

# In a one-shot container of the backup image (scripts/stack.sh says how).
restore: env
	@$(STACK_SH) restore $(BACKUP)
