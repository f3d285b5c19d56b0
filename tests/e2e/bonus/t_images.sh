# shellcheck shell=sh
# All 8 images of the bonus stack: current, slim, complete (tests/e2e/t_images.sh).

# shellcheck source=tests/e2e/t_images.sh
. "$HERE/t_images.sh"

run_bonus_images() {
	run_images 8
}
