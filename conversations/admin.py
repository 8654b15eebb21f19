"""Nothing from conversations is registered in the Django admin.

The admin role manages accounts and the question bank; it never reads preparation, notes or
agreed summaries, and a conversation list adds nothing an admin needs (HR works from agreed
plans). Facilitators and individuals see conversations through the app, which checks access.
"""
