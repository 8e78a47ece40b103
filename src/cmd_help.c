/*
** cmd_help.c -- `bmc help [COMMAND]`.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char overview[] =
    "bmc " BMC_VERSION " -- a compiler and sampler for small probabilistic models\n"
    "\n"
    "usage: bmc COMMAND [ARGS]\n"
    "\n"
    "  run MODEL.bm       compile, sample the posterior with NUTS, print a summary\n"
    "  check MODEL.bm     check a model; errors only, exit 0 when valid\n"
    "  ir MODEL.bm        print the compiled intermediate representation\n"
    "  logp MODEL.bm a=v  log density and gradient at given parameter values\n"
    "  graph MODEL.bm     the model's graph in Graphviz DOT\n"
    "  repl               interactive session\n"
    "  help [COMMAND]     this text, or a command's options\n"
    "  --version          print the version\n"
    "\n"
    "A model:\n"
    "  p_A ~ Beta(1, 1);\n"
    "  p_B ~ Beta(1, 1);\n"
    "  y_A ~ Binomial(1000, p_A) observed 120;\n"
    "  y_B ~ Binomial(1000, p_B) observed 150;\n"
    "  diff = p_B - p_A;\n"
    "\n"
    "Exit codes: 0 success, 1 the model or data is wrong, 2 the command line is\n"
    "wrong, 3 sampling failed, 130 interrupted.  See docs/language.md.\n";

static const char data_opts[] =
    "  --data FILE.json     values for 'data' names (CmdStan's JSON format)\n"
    "  -D name=value        one value: -D N=10, -D y=[1,2,3]\n";

static const struct { const char *name, *usage, *text; } help[] = {
    {"run", "bmc run MODEL.bm [options]",
     "Compiles the model, draws from the posterior with the No-U-Turn Sampler and\n"
     "prints an ArviZ-style summary to stdout; the run line and warnings go to stderr.\n"
     "\n"
     "  --chains N           chains (4)\n"
     "  --draws N            draws per chain after warm-up (1000)\n"
     "  --tune N             warm-up iterations per chain (1000)\n"
     "  --seed N             random seed; the same seed gives the same output on any --cores\n"
     "  --cores N            threads (the machine's cores)\n"
     "  --target-accept P    step-size adaptation target (0.8)\n"
     "  --metric M           auto, diag or dense (auto)\n"
     "  --max-treedepth N    NUTS tree depth limit (10)\n"
     "  --init a=v,b=w       initial values (constrained), others random\n"
     "  --vars a,b           variables to report; a vector's name reports all its elements\n"
     "  --hdi-prob P         probability of the highest-density interval (0.94)\n"
     "  --round K            digits after the point (automatic)\n"
     "  --format F           table or json (table)\n"
     "  --output-dir DIR     write DIR/MODEL_CHAIN.csv per chain, in CmdStan's format\n"
     "  --plot FILE          trace plot (.png, .svg or .pdf)\n"},
    {"check", "bmc check MODEL.bm [--data FILE.json] [-D name=value]...",
     "Parses and checks the model: prints errors, exit 0 when it is valid.\n"
     "Without its data, checks what can be checked without them.\n"},
    {"ir", "bmc ir MODEL.bm [--data FILE.json] [-D name=value]...",
     "Prints the intermediate representation the model compiles to: data,\n"
     "parameters with their transforms, the density's instructions and the\n"
     "deterministic ones computed once per draw.\n"},
    {"logp", "bmc logp MODEL.bm name=value... [--data FILE.json] [-D name=value]... [--format table|json]",
     "Prints the joint log density at the given (constrained) parameter values,\n"
     "normalising constants included and no Jacobian, and its gradient with\n"
     "respect to each parameter element.  Vector elements are named theta[1],\n"
     "or given at once as theta=[1,2,3].\n"},
    {"graph", "bmc graph MODEL.bm [--data FILE.json] [--render FILE.svg|.png]",
     "Prints the model's graph in Graphviz DOT: parameters as ellipses, observed\n"
     "data shaded, deterministic quantities as boxes, vectors in plates.\n"},
    {"repl", "bmc repl",
     "An interactive session: type statements to build a model, :help for commands.\n"},
};

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        fputs(overview, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
        if (strcmp(help[i].name, argv[1]) != 0) continue;
        printf("usage: %s\n\n%s", help[i].usage, help[i].text);
        if (strcmp(argv[1], "repl") != 0) printf("\n%s", data_opts);
        return EXIT_OK;
    }
    return cli_usage_error(NULL, "no help for '%s'", argv[1]);
}
