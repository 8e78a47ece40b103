/*
** graph.h -- a model's graph in Graphviz DOT, drawn the way PyMC's
** model_to_graphviz draws one: a node per named quantity, an edge from
** each quantity to those that use it, vectors grouped in plates by size.
*/
#ifndef BMC_GRAPH_H
#define BMC_GRAPH_H

#include <stdio.h>
#include "compile.h"
#include "data.h"

/* Writes the graph of m (analysed without errors; m->ir may be NULL when
** its data were not given) to out.  data, when not NULL, gives the sizes
** of a model checked without all of its data.  Returns 0, or -1 when out
** of memory or when writing fails. */
int graph_write_dot(FILE *out, const Model *m, const DataSet *data);

#endif
