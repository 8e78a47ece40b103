// The A/B test from its log, Stan: the same model as visits.bm, a Bernoulli
// per visitor with the page as an index (1 for A, 2 for B).
data {
  int<lower=1> N;
  int<lower=1, upper=2> page[N];
  int<lower=0, upper=1> bought[N];
}
parameters {
  vector<lower=0, upper=1>[2] p;
}
model {
  p ~ beta(1, 1);
  bought ~ bernoulli(p[page]);
}
