"""Packaging glue that pyproject.toml cannot say: ship the user-facing folders inside the package.

``ontology/`` and ``queries/`` stay at the top of the checkout, where people edit them; the
wheel carries them as ``kg/_data/ontology`` and ``kg/_data/queries`` (``package_dir`` maps the
folders, so the sdist and the wheel hold them too), and ``kg.ontology.data_dir`` finds them with
``importlib.resources``. Everything else lives in pyproject.toml.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {
    "kg._data.ontology": "ontology",
    "kg._data.ontology.gazetteer": "ontology/gazetteer",
    "kg._data.queries": "queries",
}

setup(
    packages=[*find_packages(include=["kg", "kg.*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
    package_data={
        "kg": ["*.html"],
        "kg.viz": ["*.html", "*.js", "*.css"],
        "kg.serve": ["*.html", "*.js", "*.css"],
        "kg._data.ontology": ["*.ttl", "*.yaml"],
        "kg._data.ontology.gazetteer": ["*.yaml"],
        "kg._data.queries": ["*.rq"],
    },
)
