"""Planning models: the one work queue (tasks.py) and the care matrices that feed it (matrix.py)."""

from isf.planning.models.matrix import CareActivity, CareMatrix
from isf.planning.models.tasks import Task, TaskEvent
from isf.planning.models.weights import KindWeight

__all__ = ["CareActivity", "CareMatrix", "KindWeight", "Task", "TaskEvent"]
