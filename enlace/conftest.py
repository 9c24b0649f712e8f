import pytest

from enlace.core.testing import Network, build_network


@pytest.fixture
def network(db) -> Network:
    return build_network()


@pytest.fixture
def demo(db):
    from enlace.accounts.management.demo import seed_demo

    seed_demo()
