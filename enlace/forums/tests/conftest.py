"""The forums' test world: the demo network (enlace.accounts.management.demo: focal.mx, focal.gt,
analista of the regional secretariat, oficial.mx, asociacion) and the forums demo on top."""

from dataclasses import dataclass

import pytest

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import User
from enlace.forums.demo import ITEM, seed_demo_forums
from enlace.forums.models import AgendaItem, RegionalPosition


@dataclass
class ForumWorld:
    item: AgendaItem
    regional: RegionalPosition

    @staticmethod
    def actor(username: str) -> Actor:
        return actor_for(User.objects.get(username=username))

    @staticmethod
    def user(username: str) -> User:
        return User.objects.get(username=username)


@pytest.fixture
def fw(demo) -> ForumWorld:
    seed_demo_forums()
    item = AgendaItem.objects.get(title=ITEM)
    return ForumWorld(item=item, regional=item.regional)
