"""Shared building blocks for ISF's statistical fitters.

The fitters follow the scikit-learn / lifelines estimator contract so they are predictable to use:

* the constructor takes only hyperparameters (optimiser settings), never data;
* ``fit(...)`` learns from data and returns ``self``;
* everything learned from data is an attribute whose name ends in ``_`` and that exists only after ``fit``.

A fit that does not converge raises :class:`ConvergenceError` instead of returning numbers that merely
look like estimates: in a sales tool a silently wrong churn score is worse than a visible error.
"""

from __future__ import annotations


class ConvergenceError(RuntimeError):
    """The optimiser did not reach a proper maximum of the likelihood (or the data cannot identify it)."""


class NotFittedError(RuntimeError):
    """A fitted attribute or prediction was requested before ``fit`` was called."""


class BaseFitter:
    """Estimator contract shared by the maximum-likelihood fitters.

    Fitted attributes (set by subclasses in ``fit``):

    ``params_``
        dict of parameter name -> estimate.
    ``loglik_``
        maximised log-likelihood (float).
    ``standard_errors_``
        dict of parameter name -> asymptotic standard error.
    ``n_iter_``
        optimiser iterations used.
    ``converged_``
        ``True`` once a fit succeeded (a failed fit raises, so it is never ``False`` after ``fit``).
    """

    #: Names of the model parameters, in the order used by the optimiser.
    param_names: tuple[str, ...] = ()

    def fit(self, *args, **kwargs) -> BaseFitter:  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not getattr(self, "converged_", False):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() first.")

    def get_params(self) -> dict:
        """Hyperparameters passed to the constructor (estimator contract)."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")}

    def __repr__(self) -> str:
        if getattr(self, "converged_", False):
            inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
            return f"<{type(self).__name__} fitted: {inner}>"
        return f"<{type(self).__name__} (not fitted)>"
