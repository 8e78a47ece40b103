/*
** repl_logp.c -- `:logp name=value ...`: the joint log density of the
** session's model and its gradient at constrained parameter values, as
** `bmc logp` takes and prints them.
*/
#include <stdlib.h>
#include "logp_values.h"
#include "session.h"

void repl_cmd_logp(Session *s, const char *args)
{
    if (s->len == 0) {
        repl_error(s, "the model is empty: no density yet");
        return;
    }
    char **items = repl_split_assigns(s, args, ":logp");
    if (!items) return;
    Model *m = repl_compile(s, NULL);
    if (m) {
        LogpValues v;
        Diags dg;
        diags_init(&dg, NULL);
        bool ok = logp_values_init(&v, m) == 0;
        if (!ok) diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory");
        for (int i = 0; ok && items[i]; i++) ok = logp_assign(&v, items[i], ":data", &dg) == 0;
        ok = ok && logp_evaluate(&v, ":logp", &dg) == 0;
        if (ok) logp_print(stdout, &v);
        else repl_print_diags(s, &dg);
        diags_clear(&dg);
        logp_values_free(&v);
    }
    model_free(m);
    repl_free_list(items);
}
