"""Form helpers shared by every register."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator

from . import bounds, prepared
from .text import collation_key

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


def _escape(value: Any) -> str:
    """``conditional_escape``: a plain ``str`` (most values) escaped as Django's ``escape``
    does (``html.escape``) without its checks and its ``SafeString``."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html`` in Python: `` name="value"``, `` name`` for True,
    nothing for False."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localised (numbers, dates), then escaped."""
    return _escape(str(localize(value)))


class PlainSelectMixin:
    """A select rendered in Python, character for character what Django's templates render
    (``select.html``, ``select_option.html`` with its final newline, ``attrs.html``).

    Django renders every option through two template includes: a filter form with the areas,
    forms, statuses, counties and regions (about 70 options) took 3 ms per select that way on
    the bench's logged-in list pages (issue 14). The options still come from the widget's own
    ``optgroups``, so choices, selection and attributes behave exactly as Django's.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if self._options_as_django():
            return self._render_options(name, value, attrs)
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{_text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped

    def _options_as_django(self) -> bool:
        """Whether the options are Django's own (``optgroups``/``create_option`` not
        overridden, no attributes inherited by the options): then they are written straight
        from the choices (:meth:`_render_options`)."""
        cls = type(self)
        return (
            not self.option_inherits_attrs  # type: ignore[attr-defined]
            and cls.optgroups is forms.widgets.ChoiceWidget.optgroups  # type: ignore[attr-defined]
            and cls.create_option is forms.widgets.ChoiceWidget.create_option  # type: ignore[attr-defined]
        )

    def _render_options(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        """The select as :meth:`render` writes it from Django's ``optgroups``, written straight
        from the choices: a dict per option (``create_option``) was most of a filter form's
        selects, 70 options on every list page (issue 14). The same selection: the first
        option whose value is among the values, every one for a multiple select."""
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # type: ignore[arg-type]
        multiple = self.allow_multiple_selected  # type: ignore[attr-defined]
        if multiple:
            widget["attrs"]["multiple"] = True
        values = widget["value"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:  # type: ignore[attr-defined]
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{_text(option_value)}">')
                options = option_label
            else:
                options = [(option_value, option_label)]
            for sub_value, sub_label in options:
                selected = (not has_selected or multiple) and str(sub_value) in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{_escape(str(sub_value))}"'
                    f"{' selected' if selected else ''}>{_text(sub_label)}</option>\n"
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


class PlainSelect(PlainSelectMixin, forms.Select):
    pass


class PlainSelectMultiple(PlainSelectMixin, forms.SelectMultiple):
    pass


def input_html(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html`` in Python, for a widget's template context."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(str(value))}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs_html(widget['attrs'])}>"
    )


def _option_html(option: dict[str, Any]) -> str:
    """``input_option.html``: a checkbox or radio option, in its label when it has one."""
    if not option["wrap_label"]:
        return input_html(option)
    id_ = option["attrs"].get("id")
    for_ = f' for="{_text(id_)}"' if id_ else ""
    return f"<label{for_}>{input_html(option)} {_text(option['label'])}</label>"


class PlainInputMixin:
    """An ``<input>`` rendered in Python, character for character what the site's form
    renderer (Django's Jinja2 templates, decision 0007) renders with ``input.html`` and
    ``attrs.html``, quotes escaped as Django escapes them: the value and attributes still
    come from the widget's own ``get_context`` (formatting, ``checked``, a password not
    rendered back).

    The participants form of a cooperation has 69 inputs (shares, dates, the organisation's
    combobox, hidden keys): through the template engine they were 5.8 ms of the page (issue
    14), as the selects' options were before :class:`PlainSelectMixin`."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        return mark_safe(input_html(widget))  # noqa: S308 - escaped in input_html


class PlainTextareaMixin:
    """``textarea.html`` in Python (:class:`PlainInputMixin`)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        text = _text(widget["value"]) if widget["value"] else ""
        return mark_safe(  # noqa: S308 - every part is escaped
            f'<textarea name="{_text(widget["name"])}"{_attrs_html(widget["attrs"])}>\n'
            f"{text}</textarea>"
        )


class PlainChoicesMixin:
    """Checkboxes or radio buttons (``multiple_input.html`` with ``input_option.html``) in
    Python (:class:`PlainInputMixin`): a cooperation's 40 areas are as many options."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        id_ = widget["attrs"].get("id")
        class_ = widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{_text(id_)}"' if id_ else "",
            f' class="{_text(class_)}"' if class_ else "",
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f"\n  <div><label>{_text(group_name)}</label>")
            parts.extend(f"<div>\n    {_option_html(option)}</div>" for option in options)
            if group_name:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


def _plain_class(mixin: type, widget: type[forms.Widget]) -> type[forms.Widget]:
    return type(f"Plain{widget.__name__}", (mixin, widget), {"__module__": __name__})


#: Django's widgets that StyledFormMixin renders in Python, by their exact class (a subclass
#: may have its own template).
PLAIN_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: PlainSelect,
    forms.SelectMultiple: PlainSelectMultiple,
    **{
        widget: _plain_class(PlainInputMixin, widget)
        for widget in (
            forms.TextInput,
            forms.NumberInput,
            forms.EmailInput,
            forms.URLInput,
            forms.PasswordInput,
            forms.HiddenInput,
            forms.DateInput,
            forms.DateTimeInput,
            forms.TimeInput,
            forms.CheckboxInput,
        )
    },
    forms.Textarea: _plain_class(PlainTextareaMixin, forms.Textarea),
    forms.CheckboxSelectMultiple: _plain_class(PlainChoicesMixin, forms.CheckboxSelectMultiple),
    forms.RadioSelect: _plain_class(PlainChoicesMixin, forms.RadioSelect),
}


def _plain(widget: forms.Widget) -> forms.Widget:
    plain = PLAIN_WIDGETS.get(type(widget))
    if plain is None or widget.template_name != type(widget).template_name:
        return widget
    option_template = getattr(widget, "option_template_name", None)
    if option_template is not None and option_template != getattr(
        type(widget), "option_template_name", None
    ):
        return widget
    copy = plain.__new__(plain)
    copy.__dict__.update(widget.__dict__)
    return copy


class StyledFormMixin(_FormBase):
    """Gives every widget Designsystemet's class and links its help text for screen readers;
    renders Django's own selects, inputs, text areas, checkboxes and radio buttons in Python
    (:data:`PLAIN_WIDGETS`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget = _plain(field.widget)
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if getattr(widget, "allow_multiple_selected", False) and getattr(
                widget, "input_type", ""
            ) in ("checkbox", "radio"):
                continue  # a group: Django would put the class on the wrapper too

            # Designsystemet styles text inputs, selects, checkboxes and radios with ds-input.
            widget.attrs["class"] = f"ds-input {widget.attrs.get('class', '')}".strip()

            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}-help")


class StyledForm(StyledFormMixin, forms.Form):
    pass


class VersionedForm(StyledForm):
    """A form that carries the version of the record it was based on (lost-update guard)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field ``name`` as the kind of field it is declared as (a ChoiceField, an
    ObjectChoiceField …), so that ``__init__`` can set what that kind has (choices, objects)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The field {name!r} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (others as form-level errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else NON_FIELD_ERRORS
            for error in errors:
                form.add_error(None if target == NON_FIELD_ERRORS else target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


class CollatedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices sorted by their labels in the reader's language (``core.text``): the
    database's own order puts Å before Æ and Ø, and Sami letters anywhere."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label = self.field.label_from_instance
        for obj in sorted(self.queryset, key=lambda o: collation_key(str(label(o)))):
            yield self.choice(obj)


class CollatedModelChoiceField(forms.ModelChoiceField):
    """A model select whose options sort by name the Norwegian (or Sami) way."""

    iterator = CollatedModelChoiceIterator


class ObjectChoiceField(forms.ChoiceField):
    """Choose one of a given list of records; the cleaned value is the record itself.

    The list is usually already loaded by the view (a case's parties, an agreement's
    commitments), so choosing costs no query and a value outside the list is refused like
    any invalid choice. ``label_from`` turns a record into its option text.
    """

    def __init__(self, *, objects: Iterable[Any] = (), label_from=str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_objects(objects, label_from)

    def set_objects(self, objects: Iterable[Any], label_from=str) -> None:
        self._objects = {str(obj.pk): obj for obj in objects}
        self.choices = [(key, label_from(obj)) for key, obj in self._objects.items()]

    def clean(self, value: Any) -> Any:
        key = "" if value in self.empty_values else str(value)
        if not key:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        obj = self._objects.get(key)
        if obj is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": key},
            )
        return obj

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_key = str(getattr(initial, "pk", initial) or "")
        return initial_key != str(data or "")

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Choose any of a given list of records; the cleaned value is the list of records."""

    def __init__(self, *, objects: Iterable[Any] = (), label_from=str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)
        self.set_objects(objects, label_from)

    def set_objects(self, objects: Iterable[Any], label_from=str) -> None:
        self._objects = {str(obj.pk): obj for obj in objects}
        self.choices = [(key, label_from(obj)) for key, obj in self._objects.items()]

    def clean(self, value: Any) -> list[Any]:
        keys = [str(v) for v in (value or []) if str(v)]
        if not keys and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        unknown = [k for k in keys if k not in self._objects]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": unknown[0]},
            )
        return [self._objects[k] for k in dict.fromkeys(keys)]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [getattr(v, "pk", v) for v in value]
        return value


class ArchiveForm(StyledForm):
    """Archive or restore: an optional reason, and the version the user saw."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AccessibilityFeedbackForm(StyledForm):
    """The accessibility statement's feedback form: only the message is required."""

    name = forms.CharField(
        label=_("Your name (optional)"), required=False, max_length=bounds.NAME_LENGTH
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=bounds.EMAIL_LENGTH,
        help_text=_("Only if you want an answer."),
    )
    message = forms.CharField(
        label=_("What does not work?"),
        max_length=bounds.TEXT_LENGTH,
        help_text=_("Say which page, and what you tried to do."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what does not work, so that we can fix it.")},
    )
    page = forms.CharField(required=False, max_length=bounds.URL_LENGTH, widget=forms.HiddenInput)


class _ReadOnceIterator(ModelChoiceIterator):
    """The options from the rows the field read once (django-filter's iterator, which adds
    the "null" option, over a list instead of a new query each time)."""

    def __iter__(self) -> Iterator[Any]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for obj in field.rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        field: Any = self.field
        return len(field.rows()) + (field.empty_label is not None) + (field.null_label is not None)

    def __bool__(self) -> bool:
        return len(self) > 0


class ReadOnceModelChoiceField(FilterModelChoiceField):
    """A filter's select of a short list (the counties, the regions) that reads it once per
    form.

    Django reads the list for the options and once more for the value chosen
    (``queryset.get``): two queries, each with a model instance per row, on every filtered
    list page (issue 14). Here the rows read for the options also give the chosen one,
    compared as the model field compares (``to_python``): "034" is not county "34".

    The list is read with a statement built once per process (:mod:`.prepared`): every row
    of the model (``prepared.all_instances``), or, for another queryset, under the name
    ``kept_as`` gives it (the same queryset wherever the name is used; without a name it is
    read through the ORM)."""

    iterator = _ReadOnceIterator

    def __init__(self, *args: Any, kept_as: str | None = None, **kwargs: Any) -> None:
        self._rows: list[Any] | None = None
        self.kept_as = kept_as
        super().__init__(*args, **kwargs)

    def rows(self) -> list[Any]:
        if self._rows is None:
            queryset = self.queryset
            if self.kept_as is None or prepared.plain_all(queryset):
                self._rows = prepared.all_instances(queryset)
            else:
                self._rows = prepared.instances(
                    ("read_once", self.kept_as),
                    queryset.db,
                    queryset.model,
                    lambda: queryset.all(),  # the same query at every build: kept_as names it
                )
        return self._rows

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result._rows = None  # each form reads its own
        return result

    def to_python(self, value: Any) -> Any:
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        model = self.queryset.model
        if isinstance(value, model):
            value = getattr(value, key)
        model_field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        try:
            wanted = model_field.to_python(value)
        except (ValidationError, ValueError, TypeError):
            wanted = None
        for obj in self.rows() if wanted is not None else ():
            if getattr(obj, model_field.attname) == wanted:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
