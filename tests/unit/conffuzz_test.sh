#! /usr/bin/env atf-sh
#
# jail.conf(5)'s reader under a fuzzer: build/tests/tools/conffuzz (built
# with AddressSanitizer and UBSan) loads mutated configurations, with
# include files, for a bounded time; any crash, sanitizer report, leak or
# hang fails the test and prints the input that caused it.
#
# The time and the seed are test-suite variables, for a longer run or for
# replaying a failure (the seed of each run is on its stdout):
#   kyua test -v test_suites.jail.conffuzz_time=S \
#       -v test_suites.jail.conffuzz_seed=N conffuzz_test.sh

atf_test_case fuzz
fuzz_head()
{
	atf_set descr "jail.conf parsing survives mutated configurations"
	atf_set timeout 300
}
fuzz_body()
{
	top=$(cd "$(atf_get_srcdir)/../.." && pwd)
	fuzz=$top/build/tests/tools/conffuzz
	[ -x "$fuzz" ] || atf_fail "$fuzz is missing: run make tests"
	time=$(atf_config_get conffuzz_time 15)
	seed=$(atf_config_get conffuzz_seed "$(date +%s)")
	atf_check -s exit:0 -o match:" 0 failed" -e empty \
	    "$fuzz" -t "$time" -s "$seed" -o "$(pwd)"
}

atf_init_test_cases()
{
	atf_add_test_case fuzz
}
