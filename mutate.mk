# make mutate - the mutation test of scripts/mutate (issue 10): each
# mutant of its catalogue is built in a scratch copy of the tree
# (build/mutate, release tree at -O0) and must be killed by the test
# groups it names. A tool to run before a release, not part of `make test`.
# MUTANTS="dec rates.stale" runs a subset (names or files containing a word).
.PHONY: mutate-list mutate-cover
mutate: build/.deps-test
	$(Q)/usr/bin/python3 scripts/mutate $(MUTANTS)
mutate-list:
	$(Q)/usr/bin/python3 scripts/mutate -l
mutate-cover:
	$(Q)/usr/bin/python3 scripts/mutate -c
