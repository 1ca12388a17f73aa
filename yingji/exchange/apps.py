from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "yingji.exchange"
    label = "exchange"
