from django.core.management import CommandError


def user_by_name(username):
    """The active user called ``username``; None when no name is given (the system)."""
    if not username:
        return None
    from yingji.accounts.models import User

    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在或已停用。") from None
