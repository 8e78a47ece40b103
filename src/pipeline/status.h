/*
** status.h -- how a run of bmc ends: the exit codes every front end
** returns (design section 3), and the version it reports.
*/
#ifndef BMC_STATUS_H
#define BMC_STATUS_H

#define BMC_VERSION "0.1.0"

enum {
    EXIT_OK = 0,
    EXIT_MODEL = 1,      /* the model or its data is wrong */
    EXIT_USAGE = 2,      /* the command line is wrong */
    EXIT_SAMPLING = 3,   /* sampling failed */
    EXIT_CONVERGENCE = 4,    /* --strict, and a convergence warning applied */
    EXIT_OUTPUT = 5,     /* the output could not be written */
    EXIT_INTERRUPTED = 130
};

#endif
