from django.utils.functional import SimpleLazyObject

from .selectors import user_roles


def roles(request):
    """Expose `roles.is_provider` / `roles.is_coordinator` to templates, computed on first use."""
    return {"roles": SimpleLazyObject(lambda: user_roles(user=getattr(request, "user", None)))}
