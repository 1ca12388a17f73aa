from django.conf import settings


def platform(request):
    user = getattr(request, "user", None)
    menu = []
    unread = 0
    if user is not None and user.is_authenticated:
        from yingji.framework.navigation import menu_for

        menu = menu_for(user)
        from yingji.messaging.services import unread_count

        unread = unread_count(user)
    return {
        "nav_menu": menu,
        "demo_mode": settings.DEMO_MODE,
        "unread_count": unread,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
