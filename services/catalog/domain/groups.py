"""What a group is called where it is shown (a family's application, the group's own page): the
group stores no name of its own, so it is named by its module and its teacher."""
from __future__ import annotations


def group_name(module_title: str, teacher: str) -> str:
    return f"{module_title}, {teacher}"
