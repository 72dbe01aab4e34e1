"""newsprov.sklearn.NewsprovClassifier and scikit-learn's estimator checks.

scikit-learn's `check_estimator` generates numeric matrices, so for an estimator tagged as
taking strings it runs nothing (it warns "Can't test estimator ... which requires input of type
... string=True"). Here the checks that do not depend on the input being numeric are run as
they are, and the ones that do are rewritten with texts (same assertions, text input)."""
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as ec

from newsprov.sklearn import NewsprovClassifier

FAST = dict(max_iter=30)

# scikit-learn's own checks that apply to an estimator over texts (they look at parameters,
# tags, cloning, repr and the unfitted state, not at numeric input).
INPUT_INDEPENDENT_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_estimators_unfitted",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
]


@pytest.fixture(scope="module")
def data(dev_frame):
    sample = dev_frame.iloc[::12].head(240)
    return sample["text"].reset_index(drop=True), sample["label"].reset_index(drop=True)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return NewsprovClassifier(**FAST).fit(X, y)


@pytest.mark.parametrize("name", INPUT_INDEPENDENT_CHECKS)
def test_sklearn_check(name):
    check = getattr(ec, name, None)
    if check is None:
        pytest.skip(f"this scikit-learn has no {name}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check("NewsprovClassifier", NewsprovClassifier(**FAST))


def test_check_estimator_knows_it_takes_strings():
    est = NewsprovClassifier(**FAST)
    tags = est.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.estimator_type == "classifier"
    with pytest.warns(ec.SkipTestWarning, match="string=True"):
        ec.check_estimator(est)


# The input-dependent checks, with texts.

def test_fit_returns_self_and_sets_classes(data):
    X, y = data
    est = NewsprovClassifier(**FAST)
    assert est.fit(X, y) is est
    assert list(est.classes_) == ["state_media", "wire", "aggregator"]
    assert set(est.predict(X)) <= set(est.classes_)


def test_fit_idempotent_and_params_unchanged(data):
    X, y = data
    est = NewsprovClassifier(**FAST)
    params = est.get_params()
    first = est.fit(X, y).predict_proba(X)
    assert est.get_params() == params  # check_dont_overwrite_parameters
    second = est.fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)


def test_predict_does_not_change_state(fitted, data):
    X, _ = data
    before = {k: v for k, v in fitted.__dict__.items() if k != "model_"}
    fitted.predict(X)
    fitted.predict_proba(X)
    after = {k: v for k, v in fitted.__dict__.items() if k != "model_"}
    assert before.keys() == after.keys()


def test_sample_order_and_subset_invariance(fitted, data):
    X, _ = data
    X = list(X)
    full = fitted.predict_proba(X)
    order = np.random.RandomState(0).permutation(len(X))
    np.testing.assert_array_equal(fitted.predict_proba([X[i] for i in order]), full[order])
    np.testing.assert_array_equal(fitted.predict_proba(X[:17]), full[:17])
    assert list(fitted.predict(X[5:9])) == list(fitted.predict(X)[5:9])


def test_proba_and_predict_agree(fitted, data):
    X, _ = data
    p = fitted.predict_proba(X)
    assert p.shape == (len(X), 3)
    np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-5)
    assert list(fitted.predict(X)) == list(fitted.classes_[p.argmax(axis=1)])


def test_input_containers_give_the_same(fitted, data):
    X, _ = data
    a = fitted.predict_proba(list(X))
    np.testing.assert_array_equal(fitted.predict_proba(pd.Series(X)), a)
    np.testing.assert_array_equal(fitted.predict_proba(np.asarray(X, dtype=object)), a)
    np.testing.assert_array_equal(fitted.predict_proba(pd.DataFrame({"text": X})), a)
    np.testing.assert_array_equal(fitted.predict_proba(np.asarray(X, dtype=object).reshape(-1, 1)), a)


def test_pickle_keeps_predictions(fitted, data):
    X, _ = data
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))


def test_clear_errors(data):
    X, y = data
    with pytest.raises(NotFittedError):
        NewsprovClassifier().predict(X)
    with pytest.raises(ValueError, match="requires y to be passed"):
        NewsprovClassifier(**FAST).fit(X, None)
    with pytest.raises(ValueError, match="1-d sequence of strings"):
        NewsprovClassifier(**FAST).fit(np.zeros((4, 3)), ["wire"] * 4)
    with pytest.raises(ValueError, match="0 samples"):
        NewsprovClassifier(**FAST).fit([], [])
    with pytest.raises(ValueError, match=r"unknown label"):
        NewsprovClassifier(**FAST).fit(list(X[:3]), [7, 8, 9])
    with pytest.raises(ValueError, match="texts but y has"):
        NewsprovClassifier(**FAST).fit(list(X[:3]), ["wire"])


def test_cross_val_score_grid_search_and_pipeline(data):
    X, y = data
    scores = cross_val_score(NewsprovClassifier(**FAST), X, y, cv=3)
    assert len(scores) == 3 and all(0.5 < s <= 1 for s in scores)
    grid = GridSearchCV(NewsprovClassifier(**FAST), {"l2": [0.1, 10.0]}, cv=2, scoring="f1_macro")
    grid.fit(X, y)
    assert grid.best_params_["l2"] in (0.1, 10.0)
    assert set(grid.predict(X[:5])) <= set(grid.classes_)
    pipe = make_pipeline(FunctionTransformer(lambda s: [t.strip() for t in s]), NewsprovClassifier(**FAST))
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.8
    assert clone(NewsprovClassifier(l2=3.0)).get_params()["l2"] == 3.0
