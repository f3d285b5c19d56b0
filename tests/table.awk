# Prints tab-separated rows as an aligned plain-text table: the header (the
# variable `head`, tab-separated), a rule, then every row. Shared by the
# reliability report and the stack benchmark, whose cells are long and ragged.
# usage: awk -F '\t' -v head="a<TAB>b<TAB>c" -f tests/table.awk ROWS
BEGIN { ncols = split(head, h, "\t"); for (i = 1; i <= ncols; i++) w[i] = length(h[i]) }
{
	for (i = 1; i <= ncols; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
}
function row(values,    i) {
	for (i = 1; i <= ncols; i++) printf "%s%-*s", (i > 1 ? " | " : ""), w[i], values[i]
	printf "\n"
}
END {
	row(h)
	for (i = 1; i <= ncols; i++) { rule = rule (i > 1 ? "-+-" : ""); for (k = 0; k < w[i]; k++) rule = rule "-" }
	print rule
	for (r = 1; r <= NR; r++) {
		for (i = 1; i <= ncols; i++) v[i] = cell[r, i]
		row(v)
	}
}
