"""newsprov: tells state-media framing, wire-style reporting and aggregator rewrites apart.

The Rust library does the work; this package is a thin layer over it.

    >>> import newsprov
    >>> model = newsprov.Model()                      # the built-in model
    >>> model.score("The ministry said on Tuesday ...")["label"]
    >>> model.score_many(texts)                       # all cores, the GIL released
    >>> model.predict_proba(texts)                    # numpy (n, 3), columns model.labels

Also: ``newsprov.sources(text)``, ``newsprov.TraceIndex``, ``newsprov.train``,
``newsprov.evaluate``, and the submodules ``newsprov.pandas`` (``score_frame``),
``newsprov.sklearn`` (``NewsprovClassifier``) and ``newsprov.spark`` (``score``), imported on
use so that pandas, scikit-learn and pyspark stay optional.
"""
from ._newsprov import LABELS as _LABELS, __version__
from ._model import HTML, Model, sources
from ._trace import TraceIndex
from ._train import SVG, TRAIN_DEFAULTS, Report, evaluate, train

LABELS: "list[str]" = list(_LABELS)
"""The three labels, in the order of ``predict_proba``'s columns."""

__all__ = [
    "HTML",
    "LABELS",
    "Model",
    "Report",
    "SVG",
    "TRAIN_DEFAULTS",
    "TraceIndex",
    "__version__",
    "evaluate",
    "sources",
    "train",
]
