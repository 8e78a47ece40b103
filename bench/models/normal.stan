// The mean and scale of N normal observations, Stan: the same model as
// normal.bm.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 10);
  sigma ~ normal(0, 10);
  y ~ normal(mu, sigma);
}
