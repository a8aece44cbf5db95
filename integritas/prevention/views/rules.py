"""The gratification rule sets for staff: the list, one set with its rules and history, and the
administrators' forms to correct a set and to add the next regulation's set."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from integritas.core import policy
from integritas.lib.forms import add_service_errors
from integritas.prevention.forms import RuleFormSet, RuleSetForm
from integritas.prevention.models import RuleSet
from integritas.prevention.services import rules as services
from integritas.prevention.services.rules import RULE_SET_FIELDS


@login_required
def rule_set_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "view", RuleSet)
    rule_sets = policy.scope(request.user, RuleSet).annotate(rule_count=Count("rules"))
    context = {
        "rule_sets": rule_sets,
        "can_create": policy.allows_model(request.user, "create", RuleSet),
    }
    return render(request, "prevention/rule_set_list.html", context)


@login_required
def rule_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = policy.get_for_user(request.user, RuleSet, pk=pk)
    context = {
        "rule_set": rule_set,
        "rules": rule_set.rules.all(),
        "can_change": policy.allows_model(request.user, "change", RuleSet),
        "history": policy.history(request.user, rule_set),
    }
    return render(request, "prevention/rule_set_detail.html", context)


def _edit_page(
    request: HttpRequest,
    rule_set: RuleSet,
    form: RuleSetForm,
    rules: BaseModelFormSet,
    status: int = 200,
) -> HttpResponse:
    context = {"rule_set": rule_set, "form": form, "rules": rules}
    return render(request, "prevention/rule_set_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = policy.get_for_user(request.user, RuleSet, need="change", pk=pk)
    queryset = rule_set.rules.all()
    if request.method == "GET":
        form = RuleSetForm(instance=rule_set, prefix="set")
        return _edit_page(request, rule_set, form, RuleFormSet(queryset=queryset, prefix="rules"))
    # Unbound copies keep the stored values while the forms below are validated.
    stored = RuleSet.objects.get(pk=rule_set.pk)
    form = RuleSetForm(request.POST, instance=stored, prefix="set")
    rules = RuleFormSet(request.POST, queryset=queryset, prefix="rules")
    if not (form.is_valid() and rules.is_valid()):
        return _edit_page(request, rule_set, form, rules, status=400)
    try:
        services.rule_set_save(
            rule_set=RuleSet.objects.get(pk=rule_set.pk),
            values=form.values(),
            rules=[(rule_form.instance, rule_form.values()) for rule_form in rules.forms],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _edit_page(request, rule_set, form, rules, status=400)
    return redirect("prevention-rule-set", rule_set.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", RuleSet)
    latest = RuleSet.objects.latest_set()
    if request.method == "GET":
        initial = {}
        if latest is not None:
            initial = {name: getattr(latest, name) for name in RULE_SET_FIELDS}
            initial |= {"name": "", "regulation": "", "effective_from": None, "note": ""}
        form = RuleSetForm(initial=initial, prefix="set")
        return render(request, "prevention/rule_set_create.html", {"form": form, "latest": latest})
    form = RuleSetForm(request.POST, prefix="set")
    if form.is_valid():
        try:
            rule_set = services.rule_set_create(values=form.values(), by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("prevention-rule-set-edit", rule_set.pk)
    context = {"form": form, "latest": latest}
    return render(request, "prevention/rule_set_create.html", context, status=400)
