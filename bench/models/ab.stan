// A/B test (the seed article), Stan: the same model as ab.bm.
data {
  int<lower=0> trials;
  int<lower=0, upper=trials> y_A;
  int<lower=0, upper=trials> y_B;
}
parameters {
  real<lower=0, upper=1> p_A;
  real<lower=0, upper=1> p_B;
}
model {
  p_A ~ beta(1, 1);
  p_B ~ beta(1, 1);
  y_A ~ binomial(trials, p_A);
  y_B ~ binomial(trials, p_B);
}
generated quantities {
  real diff = p_B - p_A;
}
