/*
** cmd_help.c -- `bmc help [COMMAND]`.
*/
#include <stdio.h>
#include <string.h>
#include "builtins.h"
#include "cli.h"
#include "diag.h"
#include "dist.h"

static const char overview[] =
    "bmc " BMC_VERSION " -- a compiler and sampler for small probabilistic models\n"
    "\n"
    "usage: bmc COMMAND [ARGS]\n"
    "\n"
    "  run MODEL.bm       compile, sample the posterior with NUTS, print a summary\n"
    "  compare A.bm B.bm  sample several models, summaries side by side\n"
    "  summary FILE.csv.. the summary of saved draws (CmdStan CSV, a chain a file)\n"
    "  plot FILE.csv...   pictures of saved draws\n"
    "  loo FILE.csv...    PSIS-LOO and WAIC of saved draws with log_lik columns\n"
    "  check MODEL.bm     check a model; errors only, exit 0 when valid\n"
    "  ir MODEL.bm        print the compiled intermediate representation\n"
    "  logp MODEL.bm a=v  log density and gradient at given parameter values\n"
    "  simulate MODEL.bm  one fake data set, given parameter values, to fit with run\n"
    "  graph MODEL.bm     the model's graph in Graphviz DOT\n"
    "  repl               interactive session\n"
    "  help [COMMAND]     this text, or a command's options\n"
    "  help distributions every distribution, with its arguments\n"
    "  help functions     every function a model may call\n"
    "  --version          print the version\n"
    "\n"
    "'bmc COMMAND --help' prints a command's options, as 'bmc help COMMAND' does.\n"
    "A '-' in place of MODEL.bm or of a --data file is standard input (one of them):\n"
    "cat ab.bm | bmc run -, bmc run m.bm --data - < d.json.\n"
    "\n"
    "A model:\n"
    "  p_A ~ Beta(1, 1);\n"
    "  p_B ~ Beta(1, 1);\n"
    "  y_A ~ Binomial(1000, p_A) observed 120;\n"
    "  y_B ~ Binomial(1000, p_B) observed 150;\n"
    "  diff = p_B - p_A;\n"
    "\n"
    "Exit codes: 0 success, 1 the model or data is wrong, 2 the command line is\n"
    "wrong, 3 sampling failed, 4 a convergence warning under --strict, 5 an output\n"
    "not written (draws files, .nc, simulate --output, a picture), 130 interrupted.\n"
    "See docs/language.md.\n";

static const char data_opts[] =
    "  --data FILE.json     values for 'data' names (CmdStan's JSON format; '-': stdin)\n"
    "  --data FILE.csv      a vector per column, named by the header row; a text\n"
    "                       column is a factor: codes 1..K, nlevels(name) is K\n"
    "  --csv-sep SEP        the separator of CSV files: ',', ';' or tab (found\n"
    "                       from the header line when not given)\n"
    "  -D name=value        one value of a 'data' name: -D N=10, -D y=[1,2,3]\n";

/* Whether command reads a model's data: not the REPL (:data), nor the
** commands of saved draws. */
static bool takes_data(const char *command)
{
    return strcmp(command, "repl") != 0 && strcmp(command, "summary") != 0 && strcmp(command, "plot") != 0 &&
           strcmp(command, "loo") != 0;
}

static const struct { const char *name, *usage, *text; } help[] = {
    {"run", "bmc run MODEL.bm [options]",
     "Compiles the model, draws from the posterior with the No-U-Turn Sampler (or\n"
     "exactly from a conjugate posterior: --sampler) and prints an ArviZ-style\n"
     "summary to stdout; the run line and warnings go to stderr (also with\n"
     "--format json, whose object lists the same warnings).\n"
     "\n"
     "  --chains N           chains (4)\n"
     "  --draws N            draws per chain after warm-up (1000)\n"
     "  --tune N             warm-up iterations per chain (1000)\n"
     "  --seed N             random seed; the same seed gives the same output on any --cores\n"
     "  --cores N            threads (the machine's cores)\n"
     "  --target-accept P    step-size adaptation target (0.8)\n"
     "  --metric M           auto, diag or dense (auto)\n"
     "  --max-treedepth N    NUTS tree depth limit (10)\n"
     "  --sampler S          auto (a '~' the density does not need is drawn exactly\n"
     "                       at each draw; a model whose every parameter has a\n"
     "                       conjugate prior, such as Beta with Binomial, Gamma with\n"
     "                       Poisson, is drawn exactly from its closed-form posterior),\n"
     "                       nuts (NUTS samples every continuous '~', as for its\n"
     "                       diagnostics) or exact (as auto; an error if NUTS would\n"
     "                       be needed); --init, --tune, --metric are NUTS's alone\n"
     "  --prior              the prior predictive run: parameters from their priors,\n"
     "                       observed terms drawn in place of their data, exactly\n"
     "  --predict            replicates of every observed term (NAME_rep) at each\n"
     "                       draw, and posterior predictive checks against the data\n"
     "  --loo                PSIS-LOO and WAIC of the observed points (implies --log-lik):\n"
     "                       elpd_loo, p_loo, looic and their SEs after the table, each\n"
     "                       point's Pareto k in the JSON, a warning naming the points\n"
     "                       above the k threshold (bmc help loo)\n"
     "  --init a=v,b=w       initial values (constrained; as logp takes them, theta=[1,2] or\n"
     "                       theta[2]=1, or theta=0 for every element), others random;\n"
     "  --init FILE.json     or from a JSON file: one object, or a list of one per chain\n"
     "  --vars a,b           variables to report, as the table names them (theta[1], M[1,2]);\n"
     "                       a vector's name reports all its elements, M[i] a matrix's row i\n"
     "  --log-lik            the log density of every observed element at each draw:\n"
     "                       log_lik[1..N] in the order of the terms (CSV log_lik.1 ...,\n"
     "                       netCDF log_likelihood, JSON \"log_lik\" points), for\n"
     "                       PSIS-LOO and WAIC; in the table only with --vars log_lik\n"
     "  --hdi-prob P         probability of the highest-density interval (0.94)\n"
     "  --round K            digits after the point (automatic)\n"
     "  --quantiles P,P...   extra columns of quantiles: 0.05,0.5,0.95 adds q5, q50, q95\n"
     "  --strict             exit status 4 when a convergence warning applies (R-hat,\n"
     "                       ESS, divergences, tree depth, E-BFMI)\n"
     "  --format F           table or json (table): one object on stdout with the\n"
     "                       variables, the sampler's facts and the warnings\n"
     "  --output-dir DIR     write DIR/MODEL_ID.csv per chain, in CmdStan's format, as the\n"
     "                       draws are made (Ctrl-C, SIGTERM or a full disk keep them);\n"
     "                       bmc summary and bmc plot read them back\n"
     "  --thin N             keep every N-th draw (1)\n"
     "  --save-warmup        write the warm-up's draws too (with --output-dir)\n"
     "  --chain-ids START    number the chains from START: files, ids and streams (1)\n"
     "  --output-nc FILE     write the run as ArviZ's InferenceData, netCDF-4\n"
     "                       (az.from_netcdf): posterior, sample_stats, observed_data,\n"
     "                       posterior_predictive (--predict), log_likelihood\n"
     "                       (--log-lik), or prior and prior_predictive (--prior)\n"
     "  --plot FILE          a picture of the draws (.png, .svg or .pdf)\n"
     "  --plot-kind K        trace (draws and densities per chain, the default),\n"
     "                       posterior (densities with HDI, mean and reference value),\n"
     "                       forest (intervals of many quantities), ppc (each observed\n"
     "                       quantity against 50 replicated data sets and their mean;\n"
     "                       implies --predict) or prior (each prior, drawn by a prior\n"
     "                       run with the same seed, dashed over its posterior)\n"
     "  --ref-val V          reference value of posterior plots (default 0 for names\n"
     "                       starting with diff): the shares of draws below and above\n"
     "  --progress S         a line on stderr every S seconds while sampling, for logs\n"
     "                       and pipes (default: bars on a terminal only; 0: none)\n"},
    {"compare", "bmc compare A.bm B.bm ... [options]",
     "Samples each model with the same options and seed, and prints their\n"
     "summaries side by side for the quantities they share (by name, in the\n"
     "first model's order): mean, sd and HDI under each model's name, then each\n"
     "run's line and warnings on stderr.  Models with the same file name get a\n"
     "suffix: ab, ab_2.\n"
     "\n"
     "  --chains N           chains (4)\n"
     "  --draws N            draws per chain after warm-up (1000)\n"
     "  --tune N             warm-up iterations per chain (1000)\n"
     "  --seed N             random seed, the same for every model\n"
     "  --cores N            threads (the machine's cores)\n"
     "  --target-accept P    step-size adaptation target (0.8)\n"
     "  --metric M           auto, diag or dense (auto)\n"
     "  --max-treedepth N    NUTS tree depth limit (10)\n"
     "  --sampler S          auto, nuts or exact, as for bmc run\n"
     "  --prior              compare the prior predictive runs\n"
     "  --predict            add each model's replicates and checks, as bmc run does\n"
     "  --loo                rank the models by PSIS-LOO under the summaries, as ArviZ's\n"
     "                       az.compare: rank, elpd_loo, p_loo, elpd_diff and se_diff\n"
     "                       against the best, stacking weight, Pareto k warning; the\n"
     "                       models must observe the same data\n"
     "  --vars a,b           quantities to compare (each model must report them)\n"
     "  --hdi-prob P         probability of the highest-density interval (0.94)\n"
     "  --round K            digits after the point (automatic)\n"
     "  --format F           table or json: {\"models\": {\"ab\": {\"variables\": ...,\n"
     "                       \"sampler\": ..., \"warnings\": ...}, ...}, \"shared\": [names]}\n"
     "  --plot FILE          forest plot of the shared quantities, one colour a model\n"
     "                       (.png, .svg or .pdf)\n"
     "  --progress S         a line on stderr every S seconds while sampling, for logs\n"
     "                       and pipes (default: bars on a terminal only; 0: none)\n"},
    {"summary", "bmc summary FILE.csv... [options]",
     "Summarises draws saved as CmdStan CSV files, one chain a file: those bmc run\n"
     "--output-dir writes, and CmdStan's and rstan's (sample_file=).  The table, the\n"
     "run line and the warnings are bmc run's, from the files' settings and sampler\n"
     "columns (divergent__, treedepth__, energy__).  Warm-up rows saved with\n"
     "save_warmup = 1 are skipped.  A file cut short is read up to its last whole\n"
     "row, and chains of unequal length are cut to the shortest; a warning says so.\n"
     "A file '-' is standard input.\n"
     "\n"
     "  --define 'q = expr'  a new quantity from the saved ones, at every draw, in the\n"
     "                       model language: --define 'lift = p_B / p_A - 1',\n"
     "                       'wins = p_B > p_A', 's = sum(theta)'; repeatable\n"
     "  --vars a,b           quantities to report, as the table names them\n"
     "  --hdi-prob P         probability of the highest-density interval (0.94)\n"
     "  --round K            digits after the point (automatic)\n"
     "  --quantiles P,P...   extra columns of quantiles: 0.05,0.5,0.95 adds q5, q50, q95\n"
     "  --strict             exit status 4 when a convergence warning applies\n"
     "  --format F           table or json (table), as bmc run prints them\n"},
    {"loo", "bmc loo FILE.csv... [--format table|json]",
     "PSIS-LOO and WAIC from draws saved as CmdStan CSV files, one chain a file,\n"
     "with the pointwise log-likelihood as columns log_lik.1 .. log_lik.N: those of\n"
     "bmc run --log-lik --output-dir DIR, or Stan's log_lik generated quantity.\n"
     "Prints what bmc run --loo prints after its table: elpd_loo (the expected log\n"
     "predictive density of a new point, higher is better), p_loo, looic, WAIC,\n"
     "and the points by Pareto k; a warning names the points whose k is above\n"
     "min(1 - 1/log10(S), 0.7) for S draws, where the estimate is unreliable.\n"
     "The numbers are those of R's loo package and ArviZ's az.loo.\n"
     "\n"
     "  --format F           table or json (table): {\"loo\": {\"elpd_loo\", \"se_elpd_loo\",\n"
     "                       ..., \"pointwise\": [{\"point\", \"elpd_loo\", \"pareto_k\", ...}]}}\n"},
    {"plot", "bmc plot FILE.csv... [--kind K] [options]",
     "Draws the pictures of bmc run --plot from draws saved as CmdStan CSV files,\n"
     "one chain a file.  The kinds ppc and prior need the model (which columns\n"
     "replicate which data; a prior run): draw them with bmc run.\n"
     "\n"
     "  --kind K             trace (the default), posterior or forest\n"
     "  --output FILE        the picture (.png, .svg or .pdf); MODEL_KIND.png otherwise\n"
     "  --vars a,b           quantities to draw\n"
     "  --define 'q = expr'  a new quantity from the saved ones, as bmc summary takes it\n"
     "  --hdi-prob P         probability of the highest-density interval (0.94)\n"
     "  --ref-val V          reference value of posterior plots\n"},
    {"check", "bmc check MODEL.bm [--data FILE.json] [-D name=value]... [-O0]",
     "Parses and checks the model: prints errors, exit 0 when it is valid, and\n"
     "warnings of what will sample badly (a prior NUTS cannot follow) or slowly\n"
     "(a likelihood of over 10,000 terms evaluated one by one at every gradient,\n"
     "and why no shortcut applies).  Without its data, checks what can be\n"
     "checked without them.\n"},
    {"ir", "bmc ir MODEL.bm [--data FILE.json] [-D name=value]... [-O0]",
     "Prints the intermediate representation the model compiles to: data,\n"
     "parameters with their transforms, the density's instructions and the\n"
     "deterministic ones computed once per draw.  The second line names the\n"
     "optimisation passes that ran (logit_p, sufficient, grouped, data-part,\n"
     "deterministic).\n"
     "\n"
     "  -O0                  no passes: the model as lowered, the same values\n"},
    {"logp", "bmc logp MODEL.bm name=value... [--data FILE.json] [-D name=value]... [--format table|json] [-O0]",
     "Prints the joint log density at the given (constrained) parameter values,\n"
     "normalising constants included and no Jacobian, and its gradient with\n"
     "respect to each parameter element.  Vector elements are named theta[1],\n"
     "or given at once as theta=[1,2,3].\n"},
    {"simulate", "bmc simulate MODEL.bm [name=value...] [--data FILE.json] [-D name=value]... [--seed N] [--output FILE]",
     "Draws one fake data set from the model and prints it in CmdStan's JSON data\n"
     "format: the data names that a '~' models (data y[N]; y ~ Poisson(lam);)\n"
     "drawn, and the model's other data as --data and -D give them, so that\n"
     "'bmc run MODEL.bm --data FILE' fits it.  Parameters given as name=value (as\n"
     "logp takes them: p=0.12, theta=[1,2], theta[2]=1) are set to those values,\n"
     "the others drawn from their priors; a line on stderr says which values\n"
     "were drawn.  Counts are written as integers.\n"
     "\n"
     "  --seed N             random seed; the same seed gives the same file\n"
     "  --output FILE        write the data to FILE instead of stdout ('-': stdout);\n"
     "                       exit status 5 when it cannot be written\n"},
    {"graph", "bmc graph MODEL.bm [--data FILE.json] [-D name=value]... [--render FILE.svg|.png|.pdf]",
     "Prints the model's graph in Graphviz DOT, as PyMC's model_to_graphviz draws\n"
     "it: parameters as ellipses, observed quantities shaded, deterministic ones as\n"
     "boxes, data and the named constants the model uses as rounded boxes, an arrow\n"
     "from each quantity to those that use it, vectors in plates labelled by their\n"
     "size.  Without the model's data, plates are labelled by the size as written.\n"
     "\n"
     "  --render FILE        draw it with Graphviz's dot instead (by extension)\n"},
    {"repl", "bmc repl",
     "An interactive session.  Type statements to build a model; each one is\n"
     "checked with the model so far and added only when it compiles, so an error\n"
     "leaves the model as it was.  A statement that defines a name the model\n"
     "defines already replaces the statements that did, where they were\n"
     "(\"replaced: p_A ~ Beta(1, 1);\").  A statement may span lines: the prompt\n"
     "is '...> ' while more lines can complete it, and a line that cannot (Python's\n"
     "'import pymc as pm') is reported at once.  Data may come later: declare\n"
     "'data N;' now and give the value with :data before :sample.\n"
     "\n"
     "  :help                   the commands\n"
     "  :model                  print the model so far\n"
     "  :sample [draws] [opts]  sample and print the summary; options as for run:\n"
     "                          --chains --tune --seed --cores --target-accept\n"
     "                          --metric --max-treedepth --sampler --hdi-prob --round --vars\n"
     "  :prior [draws] [opts]   the prior predictive run: parameters and data from the model\n"
     "  :ppc [draws] [opts]     sample with replicates of the data, and check them against it\n"
     "  :summary [vars]         the last sample's summary\n"
     "  :plot VAR               sketch VAR's posterior, its mean and HDI marked\n"
     "  :plot --kind ppc [Y]    sketch the check of observed Y (all without Y): the\n"
     "                          replicates' mean against the data's (after :ppc)\n"
     "  :plot FILE [--kind K] [VAR...]  draw the picture of --plot FILE --plot-kind K\n"
     "  :dist Dist(args)        a distribution's mean, sd, 94% interval and density\n"
     "  :logp name=value ...    log density and gradient, as 'bmc logp'\n"
     "  :data name=value ...    set data (as -D); :data FILE.json reads a file\n"
     "  :drop NAME              remove the statements with NAME on the left,\n"
     "                          refused while other statements use it\n"
     "  :undo                   take back the last change: a statement added or\n"
     "                          replaced, a :drop, a :load\n"
     "  :reset                  start again: no model, data or sample\n"
     "  :load FILE.bm           make a model file the session's model\n"
     "  :save FILE.bm           write the model, and the :data values to FILE.json\n"
     "                          (bmc run FILE.bm --data FILE.json runs it again)\n"
     "  :quit                   leave (so does Ctrl-D)\n"
     "\n"
     "Tab completes names, distributions, functions and commands.  Ctrl-C clears\n"
     "the line, or stops :sample keeping the draws made.  History is kept in\n"
     "~/.bmc_history.\n"
     "\n"
     "With stdin not a terminal (bmc repl < session.txt) lines are read without\n"
     "prompts, history or colours; an error is reported and the session goes on.\n"
     "Exit status: 0, or 1 when such a session had any error.\n"},
};

/* ---- the options of a command, as its help lists them ---- */

#define MAX_OPTIONS 64
#define OPTION_LEN 32

/* Every option `bmc help command` names ("--chains", "-D", "-O0"), into
** names; returns how many. */
static int listed_options(const char *command, char names[][OPTION_LEN], int max)
{
    int n = 0;
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
        if (strcmp(help[i].name, command) != 0) continue;
        const char *texts[] = {help[i].usage, help[i].text, takes_data(command) ? data_opts : ""};
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
            for (const char *p = texts[t]; (p = strchr(p, '-')) != NULL; ) {
                /* an option starts a word: "  --chains N", "[-D name=value]" */
                bool starts = p == texts[t] || p[-1] == ' ' || p[-1] == '[' || p[-1] == '\n';
                size_t len = strspn(p, "-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
                bool named = len > 1 && p[len - 1] != '-' && p[1 + (p[1] == '-')] != '-';
                if (starts && named && len < OPTION_LEN && n < max) {
                    bool seen = false;
                    for (int k = 0; k < n && !seen; k++) seen = strlen(names[k]) == len && strncmp(names[k], p, len) == 0;
                    if (!seen) snprintf(names[n++], OPTION_LEN, "%.*s", (int)len, p);
                }
                p += len ? len : 1;
            }
    }
    return n;
}

bool help_has_option(const char *command, const char *option)
{
    char names[MAX_OPTIONS][OPTION_LEN];
    int n = listed_options(command, names, MAX_OPTIONS);
    for (int k = 0; k < n; k++)
        if (strcmp(names[k], option) == 0) return true;
    return false;
}

bool help_suggest_option(const char *command, const char *word, char *out, size_t size)
{
    char names[MAX_OPTIONS][OPTION_LEN];
    const char *cands[MAX_OPTIONS];
    int n = listed_options(command, names, MAX_OPTIONS);
    for (int k = 0; k < n; k++) cands[k] = names[k];
    const char *best = diag_suggest_abbrev(word, cands, n);
    if (best) snprintf(out, size, "%s", best);
    return best != NULL;
}

/* `bmc help distributions`: the table, one parameterisation a line. */
static void list_distributions(void)
{
    puts("Distributions, as PyMC names them (see docs/language.md):");
    for (int i = 0; i < dist_count(); i++) printf("  %s\n", dist_at(i)->summary);
}

/* `bmc help functions`: the builtins, a line each. */
static void list_functions(void)
{
    puts("Functions (see docs/language.md):");
    for (int i = 0; i < builtin_count(); i++) {
        const Builtin *b = builtin_at(i);
        char call[32];
        snprintf(call, sizeof call, "%s(%s)", b->name, b->nargs == 1 ? "x" : "x, y");
        printf("  %-18s %s\n", call, b->doc);
    }
}

int cli_command_help(const char *command)
{
    char *argv[] = {"help", (char *)command, NULL};
    return cmd_help(2, argv);
}

int cmd_help(int argc, char **argv)
{
    /* `bmc help help` and `bmc help --help`: the overview says what help does */
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(overview, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "distributions") == 0) {
        list_distributions();
        return EXIT_OK;
    }
    if (strcmp(argv[1], "functions") == 0) {
        list_functions();
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
        if (strcmp(help[i].name, argv[1]) != 0) continue;
        printf("usage: %s\n\n%s", help[i].usage, help[i].text);
        if (takes_data(argv[1])) printf("\n%s", data_opts);
        return EXIT_OK;
    }
    const char *topics[sizeof help / sizeof help[0] + 2] = {"distributions", "functions"};
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) topics[i + 2] = help[i].name;
    return cli_unknown_command(argv[1], topics, (int)(sizeof topics / sizeof topics[0]), true);
}
