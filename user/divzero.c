/* Divide by zero: the kernel must report a divide error and kill us. */
#include <inc/lib.h>

/* Both volatile: the compiler must really divide.  (With a constant
 * dividend of 1 it would compute 1/x with a comparison instead.) */
volatile int dividend = 1;
volatile int divisor;

void
umain(int argc, char **argv)
{
	int quotient;

	divisor = 0;
	quotient = dividend / divisor;
	cprintf("1/0 is %08x!\n", quotient);
}
