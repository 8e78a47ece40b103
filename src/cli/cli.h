/*
** cli.h -- what the commands share: usage errors, the data options, and
** compiling a model file with its messages printed; and the commands.
*/
#ifndef BMC_CLI_H
#define BMC_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "compile.h"
#include "data.h"
#include "status.h"
#include "terminal.h"

/* A usage error: prints it with a pointer to help; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same, suggesting meant (NULL: nothing) as what was meant. */
int cli_usage_error_meant(const char *command, const char *meant, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An option that command does not take, as typed (perhaps "--name=value"):
** the usage error, with the option of `bmc help COMMAND` that was likely
** meant (misspelt, or another tool's name for it). */
int cli_unknown_option(const char *command, const char *arg);

/* A command word bmc does not have (names: its n commands, and for help
** the other topics too): the usage error, with the command another tool's
** word stands for ("bmc has no command 'sample'; to sample a model: bmc
** run MODEL.bm") or the name it likely misspells.  help: the word was
** asked of `bmc help`. */
int cli_unknown_command(const char *word, const char *const *names, int n, bool help);

/* Prints what `bmc help command` prints; returns its exit code. */
int cli_command_help(const char *command);

/* Whether arg is "-", which stands for standard input or output where a
** file is expected. */
bool cli_is_std_stream(const char *arg);

/* Whether `bmc help COMMAND` lists option (as "--chains"). */
bool help_has_option(const char *command, const char *option);

/* The option `bmc help COMMAND` lists that word most likely misspells,
** into out; false when none is close. */
bool help_suggest_option(const char *command, const char *word, char *out, size_t size);

/* Takes --data FILE, --data=FILE ("-": standard input), -D name=value or
** -Dname=value at argv[*i] into ds, and checks --csv-sep SEP (the
** separator of every CSV --data file, wherever it is on the command line).
** Returns true when argv[*i] is one of them (advancing *i past an
** argument it used); *code is then 0, or the exit code after printing why
** it failed.  Returns false for any other argument. */
bool cli_data_option(DataSet *ds, int argc, char **argv, int *i, const char *command, int *code);

/* Prints errors as the commands do: to stderr, coloured on a terminal,
** "bmc: error: ..." where an error has no file. */
void cli_print_diags(const Diags *d);
/* The compiler's warnings of m (a prior NUTS cannot explore), for the
** commands that do not sample; a run lists them with its own. */
void cli_print_warnings(const Model *m);

/* Reads and compiles path ("-": standard input, named "<stdin>") as opt
** says (NULL: a full compile); prints the errors.  On success returns the
** model; else NULL with *code the exit code. */
Model *cli_compile(const char *path, const DataSet *ds, const CompileOptions *opt, int *code);

/* The same for a source already read (taken; NULL: out of memory). */
Model *cli_compile_source(Source *src, const DataSet *ds, const CompileOptions *opt, int *code);

/* Takes -O0 (no IR passes) or -O (all) at argv[i] into *passes; returns
** whether it was one of them. */
bool cli_passes_option(const char *arg, unsigned *passes);

/* Prints the notes of a check-only compile that lacked data. */
void cli_note_missing(const Model *m);

int cmd_check(int argc, char **argv);
int cmd_ir(int argc, char **argv);
int cmd_logp(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_loo(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_repl(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
