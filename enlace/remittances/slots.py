"""What remittances adds to other parts of Enlace: the demo loader. (The public pages' navigation
is added by the remittance pages.) Registered from RemittancesConfig.ready()."""

from enlace.core.slots import DemoLoader, register_demo


def demo() -> list[str]:
    from .demo import seed_demo_remittances

    return seed_demo_remittances()


def register() -> None:
    register_demo(DemoLoader("remittances", demo, 60))
