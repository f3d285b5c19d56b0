# Privileges: --user, --caps, no_new_privs, unknown users.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)


test_user_and_caps_keep_exactly_the_named_capability() {
	open_to_all
	pid1 -r never -u nobody --caps=net_bind_service -- sh -c "cat /proc/self/status > $T/ps"
	expect "exit status" "$rc" 0
	expect "uid" "$(field Uid "$T/ps")" 65534
	expect "gid" "$(field Gid "$T/ps")" 65534
	expect "effective" "$(field CapEff "$T/ps")" 0000000000000400
	expect "permitted" "$(field CapPrm "$T/ps")" 0000000000000400
	expect "ambient" "$(field CapAmb "$T/ps")" 0000000000000400
	expect "bounding" "$(field CapBnd "$T/ps")" 0000000000000400
	expect "no_new_privs" "$(field NoNewPrivs "$T/ps")" 1
}

test_user_without_caps_has_no_capability_at_all() {
	open_to_all
	pid1 -r never --user=nobody -- sh -c "cat /proc/self/status > $T/ps"
	expect "exit status" "$rc" 0
	expect "uid" "$(field Uid "$T/ps")" 65534
	expect "effective" "$(field CapEff "$T/ps")" 0000000000000000
	expect "permitted" "$(field CapPrm "$T/ps")" 0000000000000000
	expect "bounding" "$(field CapBnd "$T/ps")" 0000000000000000
	expect "ambient" "$(field CapAmb "$T/ps")" 0000000000000000
}

test_caps_none_as_root() {
	pid1 -r never --caps=none -- sh -c "cat /proc/self/status > $T/ps"
	expect "uid" "$(field Uid "$T/ps")" 0
	expect "effective" "$(field CapEff "$T/ps")" 0000000000000000
	expect "bounding" "$(field CapBnd "$T/ps")" 0000000000000000
}

test_caps_without_user_limit_root() {
	pid1 -r never --caps=chown,net_bind_service -- sh -c "cat /proc/self/status > $T/ps"
	expect "uid" "$(field Uid "$T/ps")" 0
	expect "effective" "$(field CapEff "$T/ps")" 0000000000000401
	expect "bounding" "$(field CapBnd "$T/ps")" 0000000000000401
}

test_user_group_and_supplementary_groups() {
	grep -q '^nogroup:' /etc/group || { fail "no nogroup group here"; return 77; }
	open_to_all
	pid1 -r never --user=daemon:nogroup -- sh -c "cat /proc/self/status > $T/ps"
	expect "uid" "$(field Uid "$T/ps")" "$(id -u daemon)"
	expect "gid" "$(field Gid "$T/ps")" "$(getent group nogroup | cut -d: -f3)"
}

test_unknown_user_is_a_clear_error() {
	pid1 --user=no-such-user -- true
	expect "exit status" "$rc" 2
	contains "message" "$T/err" "initd: --user: unknown user 'no-such-user'"
}

test_unknown_capability_is_a_usage_error() {
	pid1 --caps=net_bind_servic -- true
	expect "exit status" "$rc" 2
	contains "message" "$T/err" "unknown capability 'net_bind_servic'"
}
