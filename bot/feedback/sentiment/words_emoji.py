"""Emoji and emoticons for reading a note's sentiment, in any language (weight 2 each)."""

POSITIVE = """
    👍 😍 🔥 ❤ 🙏 🎉 🙌 💪 😊 🥰 ✅ 💯 🚀 ⭐ 🌟 🤩 😀 😃 😄 😁 👏 💕 💖 💗 💚 💙 🤝 🥳 😎
    :) :-) <3
"""
NEGATIVE = """
    👎 😡 😠 😞 💔 ⚠ 😢 😭 🙁 ☹ 😤 😩 😫 ❌ 🚫 😕 😒 🤬 📉 😬 🙄
    :( :-(
"""
