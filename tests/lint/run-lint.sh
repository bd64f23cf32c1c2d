#!/bin/sh
# run-lint - make lint as a test group: cppcheck, clang-tidy and the banned
# calls, zero findings each.
exec "$(dirname "$0")/../../scripts/lint"
