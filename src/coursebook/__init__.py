"""The course-book generator: build a bilingual book from MyST chapters and notebooks."""
