"""Form widgets for the hot pages, built in Python with the stock templates' markup.

The customer screen renders its call-log form on every inbound call. Django renders each widget (and each
<option> and radio option) through its own template, 0.1-0.5 ms apiece; these render the same HTML - same
attributes in the same order, same escaping, same selection - with f-strings and ``html.escape`` (every name,
value and label is escaped unless it is a safe string, like ``conditional_escape``). Option groups are not
supported. Tests compare each with the stock widget (isf/core/tests/test_widgets.py, test_fast_widgets.py).
"""

import html

from django import forms
from django.utils.safestring import SafeString, mark_safe


def _escape(text) -> str:
    """``conditional_escape`` of one value: safe strings as they are, everything else escaped."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"` in order, True as a bare name, False left out."""
    return "".join(f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _flatatt(attrs: dict) -> str:
    """``django.forms.utils.flatatt``: ` name="value"` sorted, then the True ones sorted, False and None left out."""
    pairs = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {_escape(k)}="{_escape(v)}"' for k, v in pairs) + "".join(f" {_escape(k)}" for k in flags)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    return f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def input_html(widget: dict) -> SafeString:
    """`django/forms/widgets/input.html` from a widget context."""
    return mark_safe(_input(widget))  # every part escaped


class FastInputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        return input_html(self.get_context(name, value, attrs)["widget"])


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    pass


class FastCheckboxInput(FastInputMixin, forms.CheckboxInput):
    pass


class FastTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
                         f'{_escape(widget["value"] or "")}</textarea>')


class FastRadioSelect(forms.RadioSelect):
    """`django/forms/widgets/radio.html` (multiple_input + input_option); option groups are not supported."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for _group, group_options, _index in widget["optgroups"]:
            for option in group_options:
                option_id = option["attrs"].get("id")
                label_for = f' for="{_escape(option_id)}"' if option_id else ""
                options.append(f"<div>\n    <label{label_for}>{_input(option)}\n {_escape(option['label'])}</label>\n\n</div>")
        outer_id = widget["attrs"].get("id")
        outer_class = widget["attrs"].get("class")
        outer = (f' id="{_escape(outer_id)}"' if outer_id else "") + (
            f' class="{_escape(outer_class)}"' if outer_class else "")
        return mark_safe(f"<div{outer}>{''.join(options)}\n</div>")  # every part escaped


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for key, label in self.choices:
            key = "" if key is None else str(key)
            options.append(f'<option value="{html.escape(key)}"{" selected" if key in selected else ""}>'
                           f"{_escape(label)}</option>")
        select_attrs = _flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{select_attrs}>{''.join(options)}</select>")  # every part escaped above
