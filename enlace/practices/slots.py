"""What the practices library adds to other parts of Enlace (registered from
PracticesConfig.ready()): the navigation items and the demo loader."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav

from . import rules


def _reviewer_badge(actor: Any) -> int:
    from .selectors import review_queue

    return review_queue(actor=actor).count() if rules.is_reviewer(actor) else 0


def demo() -> list[str]:
    from .demo import seed_demo_practices

    return seed_demo_practices()


def register() -> None:
    register_nav(NavItem("practices", _("Good practices"), "practices:mine", rules.may_submit, 70))
    register_nav(
        NavItem(
            "practices_review",
            _("Practices to review"),
            "practices:review_queue",
            rules.is_reviewer,
            71,
            badge=_reviewer_badge,
        )
    )
    register_demo(DemoLoader("practices", demo, 60))
