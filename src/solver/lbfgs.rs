//! L-BFGS with its vector work done in place.
//!
//! argmin's `LBFGS` builds a new vector for every vector operation of the two-loop recursion,
//! about forty 2.4 MB vectors per iteration at the default model's size; that single-threaded
//! work was a third of the fitting time. This is the same algorithm (argmin 0.11's
//! `LBFGS::next_iter`, without the L1 branch, Apache-2.0 / MIT) with the same floating-point
//! operations in the same order, updating buffers in place and recycling the oldest history
//! pair, so it takes the same steps to the same bytes. The line search is argmin's own.
use argmin::core::{
    CostFunction, Error, Executor, Gradient, IterState, KV, LineSearch, OptimizationResult, Problem, Solver,
    State, TerminationReason, TerminationStatus,
};
use std::collections::VecDeque;

type Vector = Vec<f64>;
type Iterate = IterState<Vector, Vector, (), (), (), f64>;

#[derive(Clone)]
pub struct Lbfgs<L> {
    linesearch: L,
    m: usize,
    /// s_k = x_{k+1} - x_k and y_k = g_{k+1} - g_k, oldest first.
    s: VecDeque<Vector>,
    y: VecDeque<Vector>,
    /// y_k . s_k and y_k . y_k of each pair, computed once rather than at every iteration
    /// (each dot product is a 300,000-long chain of dependent adds).
    ys: VecDeque<f64>,
    yy: VecDeque<f64>,
    tol_grad: f64,
    tol_cost: f64,
}

impl<L> Lbfgs<L> {
    pub fn new(linesearch: L, m: usize, tol_grad: f64, tol_cost: f64) -> Self {
        Lbfgs {
            linesearch,
            m,
            s: VecDeque::with_capacity(m),
            y: VecDeque::with_capacity(m),
            ys: VecDeque::with_capacity(m),
            yy: VecDeque::with_capacity(m),
            tol_grad,
            tol_cost,
        }
    }
}

/// As argmin-math computes it (a sequential sum), so the results match bit for bit.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl<O, L> Solver<O, Iterate> for Lbfgs<L>
where
    O: CostFunction<Param = Vector, Output = f64> + Gradient<Param = Vector, Gradient = Vector>,
    L: Clone + LineSearch<Vector, f64> + Solver<O, Iterate>,
{
    fn name(&self) -> &str {
        "L-BFGS (in place)"
    }

    fn init(&mut self, problem: &mut Problem<O>, mut state: Iterate) -> Result<(Iterate, Option<KV>), Error> {
        let param =
            state.take_param().ok_or_else(|| Error::msg("L-BFGS needs an initial parameter vector"))?;
        let cost = state.get_cost();
        let cost = if cost.is_infinite() { problem.cost(&param)? } else { cost };
        let grad = match state.take_gradient() {
            Some(g) => g,
            None => problem.gradient(&param)?,
        };
        Ok((state.param(param).cost(cost).gradient(grad), None))
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        mut state: Iterate,
    ) -> Result<(Iterate, Option<KV>), Error> {
        let param =
            state.take_param().ok_or_else(|| Error::msg("L-BFGS: no parameter vector in the state"))?;
        let cur_cost = state.get_cost();
        let prev_grad =
            state.take_gradient().ok_or_else(|| Error::msg("L-BFGS: no gradient in the state"))?;

        // s.y sums the same products in the same order as y.s: the cached value is exact.
        let gamma = match (self.ys.back(), self.yy.back()) {
            (Some(ys), Some(yy)) => ys / yy,
            _ => 1.0,
        };
        // Two-loop recursion, in place: q becomes r, then the search direction.
        let mut q = prev_grad.clone();
        let cur_m = self.s.len();
        let mut alpha = vec![0.0; cur_m];
        let mut rho = vec![0.0; cur_m];
        for (i, ((sk, yk), ys)) in
            self.s.iter().rev().zip(self.y.iter().rev()).zip(self.ys.iter().rev()).enumerate()
        {
            let rho_t = 1.0 / ys;
            let alpha_t = dot(sk, &q) * rho_t;
            for (qj, yj) in q.iter_mut().zip(yk) {
                *qj -= yj * alpha_t;
            }
            rho[cur_m - i - 1] = rho_t;
            alpha[cur_m - i - 1] = alpha_t;
        }
        let mut r = q;
        for rj in r.iter_mut() {
            *rj *= gamma;
        }
        for (i, (sk, yk)) in self.s.iter().zip(self.y.iter()).enumerate() {
            let beta = dot(yk, &r) * rho[i];
            let c = alpha[i] - beta;
            for (rj, sj) in r.iter_mut().zip(sk) {
                *rj += sj * c;
            }
        }
        for rj in r.iter_mut() {
            *rj *= -1.0;
        }
        self.linesearch.search_direction(r);

        let inner = problem.take_problem().ok_or_else(|| Error::msg("L-BFGS: the problem is missing"))?;
        let result = Executor::new(inner, self.linesearch.clone())
            .configure(|c| c.param(param.clone()).gradient(prev_grad.clone()).cost(cur_cost))
            .ctrlc(false)
            .run();
        let OptimizationResult { problem: mut line_problem, state: mut line_state, .. } = match result {
            Ok(res) => res,
            Err(e) => {
                let reason = TerminationReason::SolverExit(format!("Line search terminated with: '{e}'"));
                return Ok((state.terminate_with(reason), None));
            }
        };
        let xk1 = line_state.take_param().ok_or_else(|| Error::msg("line search returned no parameters"))?;
        let next_cost = line_state.get_cost();
        problem.problem = line_problem.take_problem();
        problem.consume_func_counts(line_problem);

        // The oldest pair's buffers take the newest pair.
        let (mut s_new, mut y_new) = if state.get_iter() >= self.m as u64 {
            self.ys.pop_front();
            self.yy.pop_front();
            (self.s.pop_front().unwrap_or_default(), self.y.pop_front().unwrap_or_default())
        } else {
            (Vec::new(), Vec::new())
        };
        let grad = problem.gradient(&xk1)?;
        s_new.clear();
        s_new.extend(xk1.iter().zip(&param).map(|(a, b)| a - b));
        y_new.clear();
        y_new.extend(grad.iter().zip(&prev_grad).map(|(a, b)| a - b));
        // Two independent chains in one pass; each sums in index order, as `dot` does.
        let (mut ys, mut yy) = (0.0, 0.0);
        for (a, b) in y_new.iter().zip(&s_new) {
            ys += a * b;
            yy += a * a;
        }
        self.s.push_back(s_new);
        self.y.push_back(y_new);
        self.ys.push_back(ys);
        self.yy.push_back(yy);
        Ok((state.param(xk1).cost(next_cost).gradient(grad), None))
    }

    fn terminate(&mut self, state: &Iterate) -> TerminationStatus {
        let grad_norm = state.get_gradient().map_or(0.0, |g| g.iter().map(|a| a.powi(2)).sum::<f64>().sqrt());
        if grad_norm < self.tol_grad || (state.get_prev_cost() - state.get_cost()).abs() < self.tol_cost {
            return TerminationStatus::Terminated(TerminationReason::SolverConverged);
        }
        TerminationStatus::NotTerminated
    }
}
