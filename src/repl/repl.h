/*
** repl.h -- `bmc repl`: an interactive session that builds a model
** statement by statement, samples it and looks at the draws.
*/
#ifndef BMC_REPL_H
#define BMC_REPL_H

/* Runs a session on stdin and stdout: with readline, history, completion
** and colours when stdin is a terminal, as a script otherwise.  Returns
** the exit code: 0, or EXIT_MODEL when a script had an error. */
int repl_run(void);

#endif
