"""batch stage."""

#: the executors' names, spelled here only: ``audit batch --executor``, ``BatchOptions.executor``, the run's
#: record in the store and ``executors.executor_for`` all take them from here (the first is the default)
LOCAL = "local"
DASK = "dask"
EXECUTORS = (LOCAL, DASK)
DEFAULT_EXECUTOR = LOCAL
