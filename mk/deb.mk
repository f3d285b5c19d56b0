# The Debian package of initd (scripts/make-deb.sh; BUILD and VERSION: Makefile):
#   deb       $(BUILD)/deb/initd_$(VERSION)_<arch>.deb, refused while docs/initd.8
#             disagrees with `initd --help` (tests/build/manpage.sh)
#   test-deb  lintian, the package's contents, an install in a throwaway container

.PHONY: deb test-deb

# Recursive, so that dpkg runs only when a recipe needs the name.
DEB_FILE = $(BUILD)/deb/initd_$(VERSION)_$(shell dpkg --print-architecture).deb

deb: $(BUILD)/initd
	@mkdir -p $(BUILD)/deb
	@sh tests/build/manpage.sh $(BUILD)/initd >$(BUILD)/deb/manpage.log || \
		{ cat $(BUILD)/deb/manpage.log; exit 1; }
	@tail -n 1 $(BUILD)/deb/manpage.log
	sh scripts/make-deb.sh $(BUILD)/initd $(VERSION) $(BUILD)/deb

# The install test runs in a throwaway debian:bookworm: make it when missing.
test-deb: deb base-image
	sh tests/build/manpage.sh --self-test $(BUILD)/initd
	sh tests/build/deb.sh $(DEB_FILE) $(BUILD)/initd
