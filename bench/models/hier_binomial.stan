// Hierarchical binomial, logit-normal, non-centred, Stan: the same model as
// hier_binomial.bm.
data {
  int<lower=1> G;
  int<lower=0> n[G];
  int<lower=0> r[G];
}
parameters {
  real mu;
  real<lower=0> sigma;
  vector[G] z;
}
transformed parameters {
  vector[G] b = mu + sigma * z;
}
model {
  mu ~ normal(0, 5);
  sigma ~ normal(0, 1);
  z ~ std_normal();
  r ~ binomial_logit(n, b);
}
