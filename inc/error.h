/* Error codes: functions return them negated (-E_INVAL); cprintf's %e names them. */
#ifndef JOS_INC_ERROR_H
#define JOS_INC_ERROR_H

enum {
	E_UNSPECIFIED	= 1,	/* unspecified or unknown problem */
	E_BAD_ENV,		/* environment doesn't exist or otherwise can't be used */
	E_INVAL,		/* invalid parameter */
	E_NO_MEM,		/* request failed due to memory shortage */
	E_NO_FREE_ENV,		/* attempt to create a new environment beyond the maximum */
	E_FAULT,		/* memory fault */
	E_IPC_NOT_RECV,		/* attempt to send to an env that is not receiving */
	E_EOF,			/* unexpected end of file */
	E_NO_DISK,		/* no free space on disk */
	E_MAX_OPEN,		/* too many files are open */
	E_NOT_FOUND,		/* file or block not found */
	E_BAD_PATH,		/* bad path */
	E_FILE_EXISTS,		/* file already exists */
	E_NOT_EXEC,		/* file is not a valid executable */
	E_NOT_SUPP,		/* operation not supported */
	E_NO_VMX,		/* the CPU has no usable VMX */
	E_NO_EPT,		/* the CPU has no usable EPT */
	E_NO_UG,		/* the CPU has no unrestricted guest mode */
	E_BUSY,			/* the environment is running on another CPU: try again */
	E_PERM,			/* not allowed to the caller */
	E_NO_SVM,		/* the CPU has no usable SVM */
	E_NO_NPT,		/* the CPU has no nested paging */
	MAXERROR
};

#endif /* !JOS_INC_ERROR_H */
