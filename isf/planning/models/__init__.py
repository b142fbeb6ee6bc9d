"""Planning models: the one work queue (tasks.py) and the care matrices that feed it (matrix.py)."""

from isf.planning.models.matrix import CareActivity, CareMatrix
from isf.planning.models.tasks import Task, TaskEvent

__all__ = ["CareActivity", "CareMatrix", "Task", "TaskEvent"]
