"""The public gratification checker at /gratifikasi/cek/: a GET form (its fields are the API's
parameters, so an answer has an address that can be shared) and the answer under it. No account
and no JavaScript; a public page (``core.public``): no session, no log record of the requests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.core.public import public_page
from integritas.lib.formatting import format_rupiah
from integritas.prevention.forms import CheckForm
from integritas.prevention.gratification import Answer, Reason
from integritas.prevention.services.checker import CheckError, answer


def explanation(result: Answer) -> str:
    """Why the answer is what it is, in a sentence."""
    limit = format_rupiah(result.limit or 0, get_language() or "id")
    regulation = result.regulation
    texts = {
        Reason.DUTY: _(
            "A gift connected to your office must be refused, whatever its value. If it could "
            "not be refused, report it to the UPG: refusals are reported too."
        ),
        Reason.NOT_EXEMPT: _("This kind of gift is not exempt under %(regulation)s.")
        % {"regulation": regulation},
        Reason.CASH: _("Money from colleagues is never exempt."),
        Reason.OVER_GIFT: _("The value is above the limit of %(limit)s per gift.")
        % {"limit": limit},
        Reason.OVER_YEAR: _(
            "Together with what the same giver already gave this year, it is above the limit of "
            "%(limit)s per year."
        )
        % {"limit": limit},
        Reason.WITHIN: _("The gift is within the exemption of %(regulation)s.")
        % {"regulation": regulation},
    }
    return texts[result.reason]


@public_page("GET")
def check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.GET if set(request.GET) & set(CheckForm.base_fields) else None)
    result, status = None, 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = answer(form.gift())
            except CheckError as exc:
                form.add_error(exc.parameter if exc.parameter in form.fields else None, exc.message)
        if not form.is_valid():
            status = 400
    english = (get_language() or "id").startswith("en")
    context = {
        "form": form,
        "result": result,
        "rule": (result.rule_en if english else result.rule) if result else "",
        "explanation": explanation(result) if result else "",
    }
    return public.render(request, "prevention/public/check.html", context, status=status)
