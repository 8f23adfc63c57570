/* AMD SVM backend (in progress). */
#include <inc/error.h>
#include <vmm/vmm.h>

static int
svm_check(void)
{
	return -E_NO_SVM;
}

const struct vmm_backend svm_backend = {
	.name = "SVM",
	.kind = VMM_BACKEND_SVM,
	.check = svm_check,
};
