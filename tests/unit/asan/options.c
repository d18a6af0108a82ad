/*
 * Linked into the sanitizer builds of the unit tests: libatf-c itself
 * leaks a little on the way out, which is not ours to report.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libatf-c.so\n";
}

const char *__lsan_default_options(void);

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
