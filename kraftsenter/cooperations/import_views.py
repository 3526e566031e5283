"""The import page: upload a spreadsheet of cooperations, check it (dry run) or register it.

Thin: the form checks the upload, :func:`kraftsenter.cooperations.importer.run_import` does the
rest as the signed-in user, so the services' permission checks apply (non-site-admins may only
register cooperations that one of their organisations takes part in).
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core.forms import StyledForm
from kraftsenter.core.imports import ImportFailed

from .importer import COLUMNS, REQUIRED_COLUMNS, run_import
from .permissions import COOPERATION_POLICY

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")


class CooperationImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8, comma or semicolon) or Excel (.xlsx, first sheet), at most 5 MB, "
            "one row per cooperation and participant."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only check the file and show what would be registered"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def _detail_url(pk: int | None) -> str:
    if pk is None:
        return ""
    try:
        return reverse("cooperations:cooperation-detail", args=[pk])
    except NoReverseMatch:
        return ""


@login_required
def cooperation_import(request: HttpRequest) -> HttpResponse:
    if not COOPERATION_POLICY.can(request.user, "import"):
        raise PermissionDenied(COOPERATION_POLICY.denied_message("create"))
    summary, problems, status = None, None, 200
    if request.method == "POST":
        form = CooperationImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = run_import(
                    upload,
                    filename=Path(upload.name).name,
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportFailed as exc:
                problems, status = exc.problems, 422
            else:
                for result in summary.cooperations:
                    result.url = _detail_url(result.pk)
    else:
        form = CooperationImportForm()
    return render(
        request,
        "cooperations/import.html",
        {
            "form": form,
            "summary": summary,
            "problems": problems,
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS,
        },
        status=status,
    )
