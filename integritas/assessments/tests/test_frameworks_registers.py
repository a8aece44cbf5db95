"""A framework node may point at one of the product's data registers (``core.extensions``): the
key is checked against the registry on the model and again when a framework is stored, so that
no framework naming an unknown register is ever saved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from integritas.assessments.models import Framework, Node
from integritas.assessments.services import frameworks
from integritas.assessments.tests.conftest import make_framework, small_data
from integritas.core.testing import World


def test_a_node_with_a_known_register_is_valid_and_an_unknown_one_is_named(world: World) -> None:
    framework = make_framework()
    node = Node.objects.get(framework=framework, code="PW.1")
    node.register = "gratification-register"
    node.full_clean()
    node.register = "upg"
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        node.full_clean()
    [message] = caught.value.message_dict["register"]
    assert "Tidak ada register “upg”" in message


def test_storing_a_framework_with_an_unknown_register_stores_nothing(world: World) -> None:
    data = small_data()
    nodes = tuple(
        replace(n, register="no-such-register") if n.code == "MP.2" else n for n in data.nodes
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        frameworks.create_framework(data=replace(data, nodes=nodes), by=None)
    assert "MP.2" in caught.value.messages[0] and "no-such-register" in caught.value.messages[0]
    assert not Framework.objects.exists()


def test_copying_into_a_new_year_keeps_the_registers(world: World) -> None:
    data = small_data()
    nodes = tuple(
        replace(n, register="lhkpn-compliance") if n.code == "MP.2" else n for n in data.nodes
    )
    framework = frameworks.create_framework(data=replace(data, nodes=nodes), by=None)
    copy = frameworks.copy_to_year(framework=framework, year=2027, by=None)
    assert Node.objects.get(framework=copy, code="MP.2").register == "lhkpn-compliance"


def test_the_framework_page_names_the_register_of_a_node(world: World) -> None:
    from integritas.core.testing import client_for

    data = small_data()
    nodes = tuple(
        replace(n, register="lhkpn-compliance") if n.code == "MP.2" else n for n in data.nodes
    )
    framework = frameworks.create_framework(data=replace(data, nodes=nodes), by=None)
    page = client_for(world.inspector, language="en").get(
        f"/penilaian/kerangka/{framework.public_id}/"
    )
    assert "Data from the register" in page.content.decode()
    assert "LHKPN compliance" in page.content.decode()
