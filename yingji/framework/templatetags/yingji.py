from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def object_url(url_base: str, kind: str, *args):
    """``{% object_url url_base "edit" obj.pk %}`` → the page of that kind for the object type."""
    return reverse(f"{url_base}_{kind}", args=args)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when exporting)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
