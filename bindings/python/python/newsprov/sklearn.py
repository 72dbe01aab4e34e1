"""scikit-learn conventions: ``NewsprovClassifier``, an estimator over raw texts that drops into
``cross_val_score``, ``GridSearchCV`` and pipelines."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from . import _newsprov
from ._model import Model
from ._train import TRAIN_DEFAULTS, _cells, _Fit


def _as_texts(X: Any, what: str = "X") -> list:
    """A 1-d sequence of texts (a list, Series, 1-d array, or a one-column 2-d array)."""
    if isinstance(X, (str, bytes)):
        raise ValueError(f"{what} must be a sequence of texts, not one string")
    if hasattr(X, "columns") and len(X.columns) == 1:  # a one-column DataFrame
        X = X.iloc[:, 0]
    arr = np.asarray(X, dtype=object)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"NewsprovClassifier takes texts: {what} must be a 1-d sequence of strings, "
            f"got an array of shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{what} has 0 samples; at least one text is required")
    return _cells(arr, what, True)


class NewsprovClassifier(ClassifierMixin, BaseEstimator):
    """newsprov's model as a scikit-learn classifier over raw texts (no vectorizer needed).

    ``fit(X, y)`` trains as ``newsprov train`` does on texts ``X`` and labels ``y``
    (``state_media``, ``wire``, ``aggregator`` or their aliases); ``predict`` gives label names
    and ``predict_proba`` an ``(n, 3)`` array whose columns follow ``classes_`` (always the three
    labels, whichever of them ``y`` held). The parameters are ``newsprov train``'s options, with
    its defaults. The fitted model is ``model_`` (a ``newsprov.Model``: ``model_.save(path)``).
    """

    def __init__(
        self,
        features: str = "bow,framing,style,masked,page",
        style_scale: float = 0.1,
        min_df: int = 2,
        max_df: float = 1.0,
        max_features: int = 100_000,
        solver: str = "sparse",
        l2: float = 0.1,
        max_iter: int = 300,
        tol: float = 1e-6,
        seed: int = 42,
        class_weight: str = "none",
        augment_chrome: float = 0.3,
        augment_pages: float = 0.1,
        augment_paragraphs: float = 0.3,
        outlet_weight: float = 0.5,
        masked_buckets: int = 1 << 15,
        masked_scale: float = 1.0,
        masked_max_n: int = 2,
        framing_voice: bool = True,
        temperature: Optional[float] = None,
    ) -> None:
        self.features = features
        self.style_scale = style_scale
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.solver = solver
        self.l2 = l2
        self.max_iter = max_iter
        self.tol = tol
        self.seed = seed
        self.class_weight = class_weight
        self.augment_chrome = augment_chrome
        self.augment_pages = augment_pages
        self.augment_paragraphs = augment_paragraphs
        self.outlet_weight = outlet_weight
        self.masked_buckets = masked_buckets
        self.masked_scale = masked_scale
        self.masked_max_n = masked_max_n
        self.framing_voice = framing_voice
        self.temperature = temperature

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Raw texts in, not a numeric matrix.
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags

    def fit(self, X: Any, y: Any) -> "NewsprovClassifier":
        """Trains on texts ``X`` and labels ``y``. ``ValueError`` for an unknown label or an
        empty text, naming the row (``data[i]: problem``)."""
        texts = _as_texts(X)
        if y is None:
            raise ValueError("NewsprovClassifier requires y to be passed, but the target y is None")
        labels = _cells(np.asarray(y, dtype=object).ravel(), "y", False)
        if len(labels) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(labels)} labels")
        options = {k: getattr(self, k) for k in TRAIN_DEFAULTS if k != "lexicon"}
        self.model_ = Model._wrap(_newsprov.train_rows(texts, labels, None, None, _Fit(options)))
        self.classes_ = np.array(self.model_.labels, dtype=object)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities, shape ``(n, 3)``, columns in ``classes_`` order."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(_as_texts(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most likely label of each text."""
        check_is_fitted(self, "model_")
        return np.array(self.model_.predict(_as_texts(X)), dtype=object)
