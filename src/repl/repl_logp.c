/*
** repl_logp.c -- `:logp name=value ...`: the joint log density of the
** session's model and its gradient at constrained parameter values, as
** `bmc logp` takes and prints them.
*/
#include <stdlib.h>
#include "logp_values.h"
#include "session.h"

/* Prints msg as the REPL's messages look. */
static void print_message(Session *s, const LogpMessage *msg)
{
    repl_error(s, "%s", msg->error ? msg->error : "out of memory");
    if (msg->note) repl_note(s, "%s", msg->note);
}

void repl_cmd_logp(Session *s, const char *args)
{
    if (s->len == 0) {
        repl_error(s, "the model is empty: no density yet");
        return;
    }
    char **items = repl_split_assigns(s, args, ":logp");
    if (!items) return;
    Model *m = repl_compile(s, false);
    if (m) {
        LogpValues v;
        LogpMessage msg = { NULL, NULL };
        bool ok = logp_values_init(&v, m) == 0;
        for (int i = 0; ok && items[i]; i++) ok = logp_assign(&v, items[i], ":data", &msg) == 0;
        ok = ok && logp_evaluate(&v, ":logp", &msg) == 0;
        if (ok) logp_print(stdout, &v);
        else print_message(s, &msg);
        logp_message_free(&msg);
        logp_values_free(&v);
    }
    model_free(m);
    repl_free_list(items);
}
